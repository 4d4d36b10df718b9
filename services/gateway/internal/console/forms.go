package console

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.uber.org/zap"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// maxField bounds any one form value, in characters; the services' own
// limits are smaller and give the precise message.
const maxField = 20_000

// form is one form on a page: what was entered, and what was wrong with it.
type form struct {
	// ID says which form on the page this is (pages can have several).
	ID     string
	Values map[string]string
	Errors map[string]string
	// Other holds errors that belong to no one field.
	Other []string
}

func newForm(id string) *form {
	return &form{ID: id, Values: map[string]string{}, Errors: map[string]string{}}
}

// HasErrors reports whether the form has any error.
func (f *form) HasErrors() bool { return f != nil && (len(f.Errors) > 0 || len(f.Other) > 0) }

// Get is a submitted value ("" for none).
func (f *form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// Err is a field's error ("" for none).
func (f *form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// read copies the named fields from the posted form, trimmed, checking
// their length.
func (f *form) read(r *http.Request, names ...string) {
	for _, n := range names {
		v := strings.TrimSpace(r.PostForm.Get(n))
		if utf8.RuneCountInString(v) > maxField {
			f.Errors[n] = "This is too long."
			v = ""
		}
		f.Values[n] = v
	}
}

// require marks empty fields with message.
func (f *form) require(name, message string) {
	if f.Values[name] == "" && f.Errors[name] == "" {
		f.Errors[name] = message
	}
}

// outcome is what a failed call means for the page.
type outcome struct {
	// code is the HTTP status to answer with.
	code int
	// page is set when the error deserves its own page rather than a form
	// with errors (not found, not allowed, unavailable).
	page             bool
	heading, message string
}

// explain turns a service error into form errors (bad input: each field
// violation on its field, via fields, which maps the service's field paths
// to the form's names; the rest as general errors) or an error page.
func (c *Console) explain(err error, f *form, fields map[string]string) outcome {
	st := status.Convert(err)
	switch st.Code() {
	case codes.InvalidArgument:
		var violations []*errdetails.BadRequest_FieldViolation
		for _, d := range st.Details() {
			if br, ok := d.(*errdetails.BadRequest); ok {
				violations = append(violations, br.GetFieldViolations()...)
			}
		}
		for _, v := range violations {
			name, ok := fields[v.GetField()]
			if ok && f.Errors[name] == "" {
				f.Errors[name] = sentence(v.GetDescription())
				continue
			}
			f.Other = append(f.Other, sentence(v.GetField()+": "+v.GetDescription()))
		}
		if len(violations) == 0 {
			f.Other = append(f.Other, sentence(st.Message()))
		}
		return outcome{code: http.StatusBadRequest}
	case codes.FailedPrecondition, codes.AlreadyExists, codes.OutOfRange, codes.Aborted:
		f.Other = append(f.Other, sentence(st.Message()))
		return outcome{code: http.StatusConflict}
	case codes.NotFound:
		return outcome{code: http.StatusNotFound, page: true, heading: "Not found", message: "It may have been removed, or the link is wrong."}
	case codes.PermissionDenied:
		return outcome{code: http.StatusForbidden, page: true, heading: "Not allowed", message: "Your account may not do this."}
	case codes.ResourceExhausted:
		return outcome{code: http.StatusTooManyRequests, page: true, heading: "Too many requests", message: "Please wait a few minutes and try again."}
	}
	c.log.Warn("console call failed", zap.String("code", st.Code().String()))
	if st.Code() == codes.Unavailable || st.Code() == codes.DeadlineExceeded || st.Code() == codes.Canceled {
		return outcome{code: http.StatusServiceUnavailable, page: true, heading: "Temporarily unavailable",
			message: "A service the console needs cannot be reached right now. Nothing was changed. Please try again in a few minutes."}
	}
	return outcome{code: http.StatusInternalServerError, page: true, heading: "Something went wrong", message: "Please try again later."}
}

// fail answers a failed read (a page that cannot be shown at all).
func (c *Console) fail(rq *request, err error) {
	o := c.explain(err, newForm(""), nil)
	if !o.page {
		o.heading, o.message = "Could not show this page", strings.Join(newFormErrs(err), " ")
	}
	c.renderError(rq.w, rq.r, &rq.sess, o.code, o.heading, o.message)
}

func newFormErrs(err error) []string { return []string{sentence(status.Convert(err).Message())} }

// sentence starts s with a capital and ends it with a full stop.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
