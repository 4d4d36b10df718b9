package mailcatcher

import (
	"html/template"
	"mime"
	"net/http"
	"strconv"
)

// Handler returns the HTTP handler of the inbox, to be mounted at
// Options.HTTPPrefix (default /dev/mail) without stripping the prefix:
//
//	GET    {prefix}                          HTML inbox, newest first
//	GET    {prefix}/style.css                its stylesheet
//	POST   {prefix}/clear                    clear the inbox (HTML form), 303 back
//	GET    {prefix}/messages                 JSON list; ?to= filter, ?limit= (default 100, max 1000)
//	DELETE {prefix}/messages                 clear the inbox, 204
//	GET    {prefix}/messages/{id}            HTML page of one message
//	GET    {prefix}/messages/{id}/raw        raw source, message/rfc822
//	GET    {prefix}/messages/{id}/html       the HTML body, sandboxed by CSP
//	GET    {prefix}/messages/{id}/parts/{n}  download MIME leaf n
//
// Errors are JSON: {"error":{"code":"not_found","message":"..."}}.
// Unsafe methods are refused for cross-origin browser requests.
func (c *Catcher) Handler() http.Handler {
	return c.handler
}

func (c *Catcher) newHandler() http.Handler {
	p := c.opts.HTTPPrefix
	pages := template.Must(template.New("pages").Funcs(template.FuncMap{
		"prefix": func() string { return p },
	}).Parse(pagesTemplate))

	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p+"/{$}", c.serveInbox(pages))
	if p != "" {
		mux.HandleFunc("GET "+p, c.serveInbox(pages))
	}
	mux.HandleFunc("GET "+p+"/style.css", serveCSS)
	mux.HandleFunc("POST "+p+"/clear", func(w http.ResponseWriter, r *http.Request) {
		c.Clear()
		http.Redirect(w, r, p+"/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET "+p+"/messages", c.serveList)
	mux.HandleFunc("DELETE "+p+"/messages", func(w http.ResponseWriter, _ *http.Request) {
		c.Clear()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET "+p+"/messages/{id}", c.withMessage(func(w http.ResponseWriter, r *http.Request, m Message) {
		c.serveMessagePage(pages, w, r, m)
	}))
	mux.HandleFunc("GET "+p+"/messages/{id}/raw", c.withMessage(serveRaw))
	mux.HandleFunc("GET "+p+"/messages/{id}/html", c.withMessage(serveHTMLPart))
	mux.HandleFunc("GET "+p+"/messages/{id}/parts/{n}", c.withMessage(servePart))
	mux.HandleFunc(p+"/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no such page")
	})
	return http.NewCrossOriginProtection().Handler(mux)
}

// withMessage resolves the {id} path value, answering 404 if unknown.
func (c *Catcher) withMessage(h func(http.ResponseWriter, *http.Request, Message)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, ok := c.Get(r.PathValue("id"))
		if !ok {
			writeError(w, http.StatusNotFound, "not_found", "no message with id "+strconv.Quote(r.PathValue("id")))
			return
		}
		h(w, r, m)
	}
}

// sandboxHeaders marks a response holding untrusted mail content so that
// browsers neither sniff it nor run scripts from it in our origin.
func sandboxHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

func serveRaw(w http.ResponseWriter, _ *http.Request, m Message) {
	sandboxHeaders(w)
	w.Header().Set("Content-Type", "message/rfc822")
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("Content-Length", strconv.Itoa(len(m.Raw)))
	_, _ = w.Write(m.Raw)
}

func serveHTMLPart(w http.ResponseWriter, _ *http.Request, m Message) {
	pm := parseMIME(m.Raw)
	if pm.HTML < 0 {
		writeError(w, http.StatusNotFound, "not_found", "message has no HTML part")
		return
	}
	part := pm.Parts[pm.HTML]
	ct := "text/html"
	if part.Charset != "" {
		ct = mime.FormatMediaType("text/html", map[string]string{"charset": part.Charset})
	}
	sandboxHeaders(w)
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(part.Body)
}

func servePart(w http.ResponseWriter, r *http.Request, m Message) {
	pm := parseMIME(m.Raw)
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(pm.Parts) {
		writeError(w, http.StatusNotFound, "not_found", "no part "+strconv.Quote(r.PathValue("n")))
		return
	}
	part := pm.Parts[n]
	params := map[string]string{}
	if part.Charset != "" {
		params["charset"] = part.Charset
	}
	ct := mime.FormatMediaType(part.MediaType, params)
	if ct == "" {
		ct = "application/octet-stream"
	}
	name := part.Filename
	if name == "" {
		name = "part-" + strconv.Itoa(n)
	}
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": name})
	if disp == "" {
		disp = "attachment"
	}
	sandboxHeaders(w)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", disp)
	w.Header().Set("Content-Length", strconv.Itoa(len(part.Body)))
	_, _ = w.Write(part.Body)
}
