package mailcatcher

// pagesTemplate holds the HTML pages. It needs no JavaScript and loads
// nothing but style.css from the same handler.
const pagesTemplate = `
{{define "head"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.}} · Mail catcher</title>
<link rel="stylesheet" href="{{prefix}}/style.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand"><a href="{{prefix}}/">Mail catcher</a></p></header>
<main id="main">
{{end}}

{{define "foot"}}</main>
</body>
</html>
{{end}}

{{define "time"}}<time datetime="{{.UTC.Format "2006-01-02T15:04:05.000Z07:00"}}">{{.UTC.Format "2006-01-02 15:04:05"}} UTC</time>{{end}}

{{define "inbox"}}{{template "head" "Inbox"}}
<h1>Inbox</h1>
{{if .}}
<form method="post" action="{{prefix}}/clear">
<button type="submit">Clear inbox</button>
</form>
<table>
<caption>{{len .}} message{{if ne (len .) 1}}s{{end}}, newest first</caption>
<thead>
<tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Size</th></tr>
</thead>
<tbody>
{{range .}}<tr>
<td>{{template "time" .Time}}</td>
<td>{{.From}}</td>
<td>{{.To}}</td>
<td><a href="{{prefix}}/messages/{{.ID}}">{{if .Subject}}{{.Subject}}{{else}}(no subject){{end}}</a></td>
<td>{{.Size}} B</td>
</tr>
{{end}}</tbody>
</table>
{{else}}
<p>No messages yet. Send mail to this catcher over SMTP and reload this page.</p>
{{end}}
{{template "foot"}}{{end}}

{{define "message"}}{{template "head" (or .Message.Subject "(no subject)")}}
<p><a href="{{prefix}}/">Back to the inbox</a></p>
<h1>{{or .Message.Subject "(no subject)"}}</h1>
<table class="fields">
<caption>Envelope and main headers</caption>
<tbody>
<tr><th scope="row">Received</th><td>{{template "time" .Message.Time}}</td></tr>
<tr><th scope="row">Envelope sender</th><td>{{.Message.From}}</td></tr>
<tr><th scope="row">Envelope recipients</th><td>{{range $i, $to := .Message.To}}{{if $i}}, {{end}}{{$to}}{{end}}</td></tr>
{{range .Summary}}<tr><th scope="row">{{.Name}}</th><td>{{.Value}}</td></tr>
{{end}}<tr><th scope="row">Size</th><td>{{.Message.Size}} B</td></tr>
</tbody>
</table>
<nav aria-label="Message views">
<ul>
<li><a href="{{prefix}}/messages/{{.Message.ID}}/raw">Raw source</a></li>
{{if .HasHTML}}<li><a href="{{prefix}}/messages/{{.Message.ID}}/html">HTML version</a> (opens the untrusted HTML in a sandbox)</li>{{end}}
</ul>
</nav>
{{if .ParseError}}<p class="warning" role="status">Part of this message could not be parsed: {{.ParseError}}</p>{{end}}
<section aria-labelledby="text-heading">
<h2 id="text-heading">Plain text</h2>
{{if .HasText}}<pre>{{.Text}}</pre>{{else}}<p>This message has no plain-text part.</p>{{end}}
</section>
{{if .Attachments}}
<section aria-labelledby="parts-heading">
<h2 id="parts-heading">Attachments and other parts</h2>
<table>
<caption>{{len .Attachments}} part{{if ne (len .Attachments) 1}}s{{end}}</caption>
<thead><tr><th scope="col">File name</th><th scope="col">Content type</th><th scope="col">Size</th><th scope="col">Download</th></tr></thead>
<tbody>
{{range .Attachments}}<tr>
<td>{{or .Filename "(unnamed)"}}</td>
<td>{{.MediaType}}</td>
<td>{{len .Body}} B</td>
<td><a href="{{prefix}}/messages/{{$.Message.ID}}/parts/{{.Index}}">Download<span class="visually-hidden"> part {{.Index}}{{if .Filename}}, {{.Filename}}{{end}}</span></a></td>
</tr>
{{end}}</tbody>
</table>
</section>
{{end}}
<details>
<summary>All headers</summary>
<table class="fields">
<caption>Headers in message order</caption>
<tbody>
{{range .Headers}}<tr><th scope="row">{{.Name}}</th><td>{{.Value}}</td></tr>
{{end}}</tbody>
</table>
</details>
{{template "foot"}}{{end}}
`

// styleCSS is served at {prefix}/style.css.
const styleCSS = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0 auto; max-width: 80rem; padding: 0 1rem 2rem; }
header { border-bottom: 1px solid; margin-bottom: 1rem; }
.brand { font-weight: bold; }
.skip { position: absolute; left: -10000px; }
.skip:focus { position: static; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: bold; padding: .25rem 0; }
th, td { border: 1px solid #8888; padding: .25rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.fields th { width: 12rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #8888; padding: .75rem; }
a:focus-visible, button:focus-visible, summary:focus-visible { outline: 3px solid; outline-offset: 2px; }
button { font: inherit; padding: .25rem .75rem; }
.warning { border-left: 4px solid; padding-left: .5rem; }
`
