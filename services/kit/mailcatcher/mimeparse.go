package mailcatcher

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
)

// Limits that keep hostile messages from costing much to display.
const (
	maxMIMEDepth = 16
	maxMIMEParts = 256
)

// headerField is one header line, in message order, with its value decoded.
type headerField struct {
	Name, Value string
}

// mimePart is one leaf of the MIME tree, with its transfer encoding undone.
type mimePart struct {
	Index       int    // position among the leaves, used in URLs
	MediaType   string // lower-case type/subtype
	Charset     string
	Filename    string
	Attachment  bool // Content-Disposition: attachment
	Body        []byte
	DecodeError string // set when the body could not be fully decoded
}

// isBody reports whether p can be shown as the message's own text.
func (p mimePart) isBody(mediaType string) bool {
	return p.MediaType == mediaType && !p.Attachment && p.Filename == ""
}

// parsedMessage is a message's structure as shown by the HTTP pages.
type parsedMessage struct {
	Headers []headerField
	Parts   []mimePart
	Text    int // index into Parts of the text/plain body, -1 if none
	HTML    int // index into Parts of the text/html body, -1 if none
	Err     string
}

// Attachments lists the parts other than the text and HTML bodies.
func (pm parsedMessage) Attachments() []mimePart {
	var out []mimePart
	for _, p := range pm.Parts {
		if p.Index != pm.Text && p.Index != pm.HTML {
			out = append(out, p)
		}
	}
	return out
}

// parseMIME parses raw with the standard library. It never fails: what
// cannot be parsed is reported in Err and the rest is kept.
func parseMIME(raw []byte) parsedMessage {
	pm := parsedMessage{Text: -1, HTML: -1}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	hdr, err := tp.ReadMIMEHeader()
	if err != nil && !errors.Is(err, io.EOF) {
		pm.Err = fmt.Sprintf("header: %v", err)
	}
	pm.Headers = orderedHeaders(raw)
	if err := walkPart(&pm, hdr, tp.R, 0); err != nil && pm.Err == "" {
		pm.Err = err.Error()
	}
	for _, p := range pm.Parts {
		if pm.Text < 0 && p.isBody("text/plain") {
			pm.Text = p.Index
		}
		if pm.HTML < 0 && p.isBody("text/html") {
			pm.HTML = p.Index
		}
	}
	return pm
}

// walkPart adds the leaves under one entity (header plus body) to pm.
func walkPart(pm *parsedMessage, hdr textproto.MIMEHeader, body io.Reader, depth int) error {
	if len(pm.Parts) >= maxMIMEParts {
		return fmt.Errorf("more than %d parts", maxMIMEParts)
	}
	mediaType, params, err := mime.ParseMediaType(hdr.Get("Content-Type"))
	if err != nil && mediaType == "" {
		mediaType, params = "text/plain", map[string]string{"charset": "us-ascii"}
	}
	if strings.HasPrefix(mediaType, "multipart/") && params["boundary"] != "" {
		if depth >= maxMIMEDepth {
			return fmt.Errorf("multipart nested deeper than %d", maxMIMEDepth)
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", mediaType, err)
			}
			if err := walkPart(pm, p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}

	part := mimePart{
		Index:     len(pm.Parts),
		MediaType: mediaType,
		Charset:   params["charset"],
		Filename:  decodeHeader(params["name"]),
	}
	if disp, dparams, err := mime.ParseMediaType(hdr.Get("Content-Disposition")); err == nil {
		part.Attachment = disp == "attachment"
		if fn := dparams["filename"]; fn != "" {
			part.Filename = decodeHeader(fn)
		}
	}
	part.Body, err = io.ReadAll(decodeTransfer(hdr.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		part.DecodeError = err.Error()
	}
	pm.Parts = append(pm.Parts, part)
	return nil
}

// decodeTransfer undoes a Content-Transfer-Encoding.
func decodeTransfer(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &spaceSkipper{r: r})
	}
	return r
}

// spaceSkipper drops the blanks and tabs some encoders leave in base64
// (the decoder itself skips CR and LF).
type spaceSkipper struct{ r io.Reader }

func (s *spaceSkipper) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, c := range p[:n] {
		if c != ' ' && c != '\t' {
			p[j] = c
			j++
		}
	}
	return j, err
}

// orderedHeaders returns the top-level header fields in message order,
// unfolded and decoded.
func orderedHeaders(raw []byte) []headerField {
	end := len(raw)
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(raw, []byte(sep)); i >= 0 && i < end {
			end = i
		}
	}
	var fields []headerField
	for line := range strings.Lines(string(raw[:end])) {
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1].Value += " " + strings.TrimSpace(line)
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		fields = append(fields, headerField{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	for i := range fields {
		fields[i].Value = decodeHeader(fields[i].Value)
	}
	return fields
}
