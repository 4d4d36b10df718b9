package service_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
	"google.golang.org/grpc"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
	"github.com/cc4dr/coalition/services/gateway/service"
	"github.com/cc4dr/coalition/services/kit/config"
)

const wantCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

type env struct {
	base      string
	petitions *fakePetitions
	down      map[string]*downstream
	logs      *observer.ObservedLogs
}

func start(t *testing.T, opts ...service.Option) *env {
	t.Helper()
	return startWith(t, nil, opts...)
}

// startWith starts the gateway with its configuration adjusted by tweak.
func startWith(t *testing.T, tweak func(*service.Config), opts ...service.Option) *env {
	t.Helper()
	e := &env{petitions: &fakePetitions{}, down: map[string]*downstream{}}
	e.down["membership"] = startDownstream(t, func(s *grpc.Server) { membershipv1.RegisterMembershipServiceServer(s, fakeMembers{}) })
	e.down["petition"] = startDownstream(t, func(s *grpc.Server) { petitionv1.RegisterPetitionServiceServer(s, e.petitions) })
	e.down["events"] = startDownstream(t, nil)
	e.down["notification"] = startDownstream(t, nil)

	core, logs := observer.New(zapcore.DebugLevel)
	e.logs = logs
	cfg := service.Config{
		Runtime:          config.Runtime{ShutdownTimeout: 5 * time.Second},
		HTTPAddr:         "127.0.0.1:0",
		MembershipAddr:   e.down["membership"].addr,
		PetitionAddr:     e.down["petition"].addr,
		EventsAddr:       e.down["events"].addr,
		NotificationAddr: e.down["notification"].addr,
		PublicBaseURL:    "http://localhost:8080",
		MaxBodyBytes:     2 << 20,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc, err := service.New(ctx, cfg, zap.New(core), opts...)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	e.base = "http://" + svc.Addr()
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("gateway did not shut down")
		}
	})
	return e
}

type response struct {
	status int
	header http.Header
	body   string
}

func (e *env) do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

func (e *env) get(t *testing.T, path string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e.do(t, req)
}

func (e *env) post(t *testing.T, path, contentType string, body io.Reader, header http.Header) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	return e.do(t, req)
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	return v
}

type healthReport struct {
	Status   string            `json:"status"`
	Services map[string]string `json:"services"`
}

func TestHealth(t *testing.T) {
	e := start(t)

	for _, path := range []string{"/healthz", "/readyz"} {
		r := e.get(t, path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d, body %s", path, r.status, r.body)
		}
		rep := decode[healthReport](t, r.body)
		if rep.Status != "ok" || len(rep.Services) != 4 {
			t.Fatalf("%s: %+v", path, rep)
		}
		for name, st := range rep.Services {
			if st != "SERVING" {
				t.Errorf("%s: %s is %s", path, name, st)
			}
		}
	}

	e.down["petition"].setServing(false)
	e.down["events"].stop()
	for _, path := range []string{"/healthz", "/readyz"} {
		r := e.get(t, path)
		if r.status != http.StatusServiceUnavailable {
			t.Fatalf("%s: status %d, want 503; body %s", path, r.status, r.body)
		}
		rep := decode[healthReport](t, r.body)
		want := map[string]string{"membership": "SERVING", "petition": "NOT_SERVING", "events": "UNAVAILABLE", "notification": "SERVING"}
		for name, st := range want {
			if rep.Services[name] != st {
				t.Errorf("%s: %s is %q, want %q (%s)", path, name, rep.Services[name], st, r.body)
			}
		}
		if rep.Status == "ok" {
			t.Errorf("%s: overall status ok with failing services", path)
		}
	}

	if r := e.get(t, "/livez"); r.status != http.StatusOK {
		t.Errorf("/livez: %d", r.status)
	}
}

func TestOpenAPI(t *testing.T) {
	e := start(t)
	r := e.get(t, "/api/v1/openapi.json")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	doc := decode[struct {
		Swagger string                     `json:"swagger"`
		Paths   map[string]json.RawMessage `json:"paths"`
	}](t, r.body)
	if doc.Swagger != "2.0" {
		t.Errorf("swagger %q", doc.Swagger)
	}
	if _, ok := doc.Paths["/api/v1/petitions/{petition_id}/signatures"]; !ok {
		t.Errorf("no signatures path among %d paths", len(doc.Paths))
	}
}

// devMail stands in for the mail catcher's handler: it sees full paths and
// sets its own CSP on the message HTML view.
func devMail(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/html") {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'")
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "mail catcher at "+r.URL.Path)
}

func TestSecurityHeaders(t *testing.T) {
	e := start(t, service.WithDevMail(http.HandlerFunc(devMail)))

	for _, path := range []string{"/", "/api/v1/openapi.json", "/healthz", "/static/style.css", "/no/such/page", "/api/v1/petitions/" + petitionID, "/dev/mail", "/dev/mail/messages"} {
		r := e.get(t, path)
		if r.status >= 500 {
			t.Errorf("%s: status %d", path, r.status)
		}
		if got := r.header.Get("Content-Security-Policy"); got != wantCSP {
			t.Errorf("%s: CSP %q", path, got)
		}
		if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", path, got)
		}
		if got := r.header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", path, got)
		}
	}

	r := e.get(t, "/dev/mail/messages/abc/html")
	if r.body != "mail catcher at /dev/mail/messages/abc/html" {
		t.Errorf("dev mail handler got %q", r.body)
	}
	if csp := r.header.Values("Content-Security-Policy"); len(csp) != 1 || !strings.Contains(csp[0], "default-src 'none'") {
		t.Errorf("handler's own CSP not kept: %q", csp)
	}
	if r := e.get(t, "/dev/mail"); r.body != "mail catcher at /dev/mail" {
		t.Errorf("/dev/mail got %q", r.body)
	}
	if home := e.get(t, "/"); !strings.Contains(home.body, `href="/dev/mail"`) {
		t.Error("home page does not link the dev mail inbox")
	}
}

func TestNoDevMailByDefault(t *testing.T) {
	e := start(t)
	if r := e.get(t, "/dev/mail"); r.status != http.StatusNotFound {
		t.Errorf("/dev/mail without the option: %d", r.status)
	}
	if home := e.get(t, "/"); strings.Contains(home.body, "/dev/mail") {
		t.Error("home page links /dev/mail without the option")
	}
}

type apiError struct {
	Code    int32             `json:"code"`
	Status  string            `json:"status"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
}

type badRequest struct {
	Type            string `json:"@type"`
	FieldViolations []struct {
		Field       string `json:"field"`
		Description string `json:"description"`
	} `json:"field_violations"`
}

func signJSON(name, email string) string {
	b, _ := json.Marshal(map[string]any{"name": name, "email": email, "lives_or_works_in_city": true, "show_name": false})
	return string(b)
}

func TestAPIErrors(t *testing.T) {
	e := start(t)
	signPath := "/api/v1/petitions/" + petitionID + "/signatures"

	t.Run("field violations", func(t *testing.T) {
		r := e.post(t, signPath, "application/json", strings.NewReader(signJSON("Ana", "not-an-address")), nil)
		if r.status != http.StatusBadRequest {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if ct := r.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		got := decode[apiError](t, r.body)
		if got.Code != 3 || got.Status != "INVALID_ARGUMENT" || got.Message == "" || len(got.Details) != 1 {
			t.Fatalf("error body %s", r.body)
		}
		br := decode[badRequest](t, string(got.Details[0]))
		if br.Type != "type.googleapis.com/google.rpc.BadRequest" || len(br.FieldViolations) != 1 ||
			br.FieldViolations[0].Field != "email" || br.FieldViolations[0].Description == "" {
			t.Errorf("detail %s", got.Details[0])
		}
	})

	t.Run("1 MB name reaches the service", func(t *testing.T) {
		r := e.post(t, signPath, "application/json", strings.NewReader(signJSON(strings.Repeat("a", 1<<20), "ana@example.org")), nil)
		if r.status != http.StatusBadRequest {
			t.Fatalf("status %d: %.300s", r.status, r.body)
		}
		got := decode[apiError](t, r.body)
		if len(got.Details) != 1 {
			t.Fatalf("details: %.300s", r.body)
		}
		br := decode[badRequest](t, string(got.Details[0]))
		if len(br.FieldViolations) != 1 || br.FieldViolations[0].Field != "name" {
			t.Errorf("detail %s", got.Details[0])
		}
	})

	t.Run("unknown field", func(t *testing.T) {
		r := e.post(t, signPath, "application/json", strings.NewReader(`{"name":"Ana","email":"ana@example.org","lives_or_works_in_city":true,"favourite_colour":"blue"}`), nil)
		got := decode[apiError](t, r.body)
		if r.status != http.StatusBadRequest || got.Status != "INVALID_ARGUMENT" || got.Code != 3 {
			t.Errorf("status %d body %s", r.status, r.body)
		}
		if len(e.petitions.signedRequests()) != 0 {
			t.Error("a request with an unknown field reached the service")
		}
	})

	t.Run("not found", func(t *testing.T) {
		r := e.get(t, "/api/v1/petitions/0190a3c4-9999-7000-8000-000000000009")
		got := decode[apiError](t, r.body)
		if r.status != http.StatusNotFound || got.Code != 5 || got.Status != "NOT_FOUND" || got.Details == nil {
			t.Errorf("status %d body %s", r.status, r.body)
		}
	})

	t.Run("failed precondition keeps grpc-gateway's mapping", func(t *testing.T) {
		r := e.post(t, "/api/v1/petitions/"+closedID+"/signatures", "application/json", strings.NewReader(signJSON("Ana", "ana@example.org")), nil)
		got := decode[apiError](t, r.body)
		if r.status != http.StatusBadRequest || got.Status != "FAILED_PRECONDITION" || got.Code != 9 {
			t.Errorf("status %d body %s", r.status, r.body)
		}
	})

	t.Run("unknown route", func(t *testing.T) {
		r := e.get(t, "/api/v1/nothing-here")
		got := decode[apiError](t, r.body)
		if r.status != http.StatusNotFound || got.Status != "NOT_FOUND" {
			t.Errorf("status %d body %s", r.status, r.body)
		}
	})

	t.Run("downstream down", func(t *testing.T) {
		e2 := start(t)
		e2.down["membership"].stop()
		r := e2.get(t, "/api/v1/members")
		got := decode[apiError](t, r.body)
		if r.status != http.StatusServiceUnavailable || got.Status != "UNAVAILABLE" {
			t.Errorf("status %d body %s", r.status, r.body)
		}
		if strings.Contains(got.Message, "127.0.0.1") {
			t.Errorf("error leaks an internal address: %s", got.Message)
		}
	})
}

func TestAPISuccessAndMetadata(t *testing.T) {
	e := start(t)
	req, _ := http.NewRequest(http.MethodGet, e.base+"/api/v1/petitions/"+petitionID, nil)
	req.Header.Set("Authorization", "Bearer abc.def.ghi")
	r := e.do(t, req)
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	got := decode[map[string]map[string]any](t, r.body)
	p := got["petition"]
	if p["confirmed_count"] != float64(250) || p["id"] != petitionID { // a JSON number (int32)
		t.Errorf("petition JSON (want snake_case): %s", r.body)
	}
	if _, ok := p["closes_at"]; !ok {
		t.Errorf("unpopulated fields not emitted: %s", r.body)
	}
	for name := range r.header {
		if strings.HasPrefix(name, "Grpc-") {
			t.Errorf("internal gRPC metadata leaked as header %s", name)
		}
	}
	md := e.petitions.lastMetadata()
	if a := md.Get("authorization"); len(a) != 1 || a[0] != "Bearer abc.def.ghi" {
		t.Errorf("authorization metadata %q", a)
	}
	if x := md.Get("x-forwarded-for"); len(x) != 1 || x[0] != "127.0.0.1" {
		t.Errorf("x-forwarded-for metadata %q", x)
	}

	// Pages forward the client address too.
	e.get(t, "/petitions/"+petitionID)
	if x := e.petitions.lastMetadata().Get("x-forwarded-for"); len(x) != 1 || x[0] != "127.0.0.1" {
		t.Errorf("page call x-forwarded-for %q", x)
	}
}

// chunked hides a reader's length so the request goes out chunked.
type chunked struct{ io.Reader }

func TestBodyLimit(t *testing.T) {
	e := start(t)
	signPath := "/api/v1/petitions/" + petitionID + "/signatures"
	big := signJSON(strings.Repeat("a", 3<<20), "ana@example.org")

	for name, body := range map[string]io.Reader{
		"declared length": strings.NewReader(big),
		"chunked":         chunked{strings.NewReader(big)},
	} {
		t.Run(name, func(t *testing.T) {
			r := e.post(t, signPath, "application/json", body, nil)
			if r.status != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d: %.300s", r.status, r.body)
			}
			got := decode[apiError](t, r.body)
			if got.Status != "RESOURCE_EXHAUSTED" || got.Code != 8 || got.Details == nil {
				t.Errorf("body %s", r.body)
			}
		})
	}

	form := url.Values{"name": {strings.Repeat("a", 3<<20)}, "email": {"ana@example.org"}}.Encode()
	r := e.post(t, "/petitions/"+petitionID+"/sign", "application/x-www-form-urlencoded", chunked{strings.NewReader(form)}, nil)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("form: status %d, %s", r.status, r.header.Get("Content-Type"))
	}
	if len(e.petitions.signedRequests()) != 0 {
		t.Error("an over-limit request reached the service")
	}
}

func TestPages(t *testing.T) {
	e := start(t)

	t.Run("home", func(t *testing.T) {
		r := e.get(t, "/")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d %s", r.status, r.header.Get("Content-Type"))
		}
		for _, want := range []string{
			`<html lang="en">`, "Cities Coalition for Digital Rights", "Privacy, data protection and security",
			"Lisbon, join the Cities Coalition for Digital Rights", "/petitions/" + petitionID, "250", "1000",
			"Amsterdam", "Barcelona", `href="/api/v1/openapi.json"`, `href="/static/style.css"`,
		} {
			if !strings.Contains(r.body, want) {
				t.Errorf("home page lacks %q", want)
			}
		}
		for _, unwanted := range []string{"Porto, join", "UN-Habitat</li>", "Applicantville", "<script"} {
			if strings.Contains(r.body, unwanted) {
				t.Errorf("home page shows %q", unwanted)
			}
		}
	})

	t.Run("petition page", func(t *testing.T) {
		r := e.get(t, "/petitions/"+petitionID)
		if r.status != http.StatusOK {
			t.Fatalf("status %d", r.status)
		}
		for _, want := range []string{`action="/petitions/` + petitionID + `/sign"`, `<label for="name">`, `<label for="email">`,
			`name="show_name"`, `name="lives_or_works_in_city"`, `name="notify_outcome"`, "Digital rights are human rights."} {
			if !strings.Contains(r.body, want) {
				t.Errorf("petition page lacks %q", want)
			}
		}
		if r := e.get(t, "/petitions/0190a3c4-9999-7000-8000-000000000009"); r.status != http.StatusNotFound {
			t.Errorf("unknown petition: %d", r.status)
		}
	})

	signPath := "/petitions/" + petitionID + "/sign"
	form := func(v url.Values) io.Reader { return strings.NewReader(v.Encode()) }
	sameOrigin := http.Header{"Sec-Fetch-Site": {"same-origin"}}

	t.Run("sign with errors", func(t *testing.T) {
		r := e.post(t, signPath, "application/x-www-form-urlencoded",
			form(url.Values{"name": {"<b>Ana</b>"}, "email": {"nope"}}), sameOrigin)
		if r.status != http.StatusBadRequest {
			t.Fatalf("status %d", r.status)
		}
		for _, want := range []string{`id="email-error"`, `id="lives_or_works_in_city-error"`, `aria-invalid="true"`, `value="&lt;b&gt;Ana&lt;/b&gt;"`, `value="nope"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("re-rendered form lacks %q", want)
			}
		}
		if strings.Contains(r.body, `id="name-error"`) {
			t.Error("name flagged although valid")
		}
	})

	t.Run("sign", func(t *testing.T) {
		v := url.Values{"name": {"Ana"}, "email": {"ana@example.org"}, "lives_or_works_in_city": {"true"}, "notify_outcome": {"true"}}
		r := e.post(t, signPath, "application/x-www-form-urlencoded", form(v), sameOrigin)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Check your email") {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		again := e.post(t, signPath, "application/x-www-form-urlencoded", form(v), sameOrigin)
		if again.body != r.body {
			t.Error("a repeated signature gets a different page")
		}
		s := e.petitions.signedRequests()[0]
		if !s.GetLivesOrWorksInCity() || !s.GetNotifyOutcome() || s.GetShowName() || s.GetEmail() != "ana@example.org" || s.GetLanguage() != "en" {
			t.Errorf("request reaching the service: %v", s)
		}
	})

	t.Run("cross-origin post refused", func(t *testing.T) {
		n := len(e.petitions.signedRequests())
		v := url.Values{"name": {"Ana"}, "email": {"ana@example.org"}, "lives_or_works_in_city": {"true"}}
		r := e.post(t, signPath, "application/x-www-form-urlencoded", form(v), http.Header{"Sec-Fetch-Site": {"cross-site"}})
		if r.status != http.StatusForbidden {
			t.Errorf("status %d", r.status)
		}
		r = e.post(t, signPath, "application/x-www-form-urlencoded", form(v), http.Header{"Origin": {"https://evil.example"}})
		if r.status != http.StatusForbidden {
			t.Errorf("Origin mismatch: status %d", r.status)
		}
		r = e.post(t, signPath, "application/x-www-form-urlencoded", form(v), http.Header{"Origin": {"http://localhost:8080"}})
		if r.status != http.StatusOK {
			t.Errorf("trusted PUBLIC_BASE_URL origin: status %d", r.status)
		}
		if len(e.petitions.signedRequests()) != n+1 {
			t.Errorf("cross-origin posts reached the service")
		}
	})

	t.Run("closed petition", func(t *testing.T) {
		v := url.Values{"name": {"Ana"}, "email": {"ana@example.org"}, "lives_or_works_in_city": {"true"}}
		r := e.post(t, "/petitions/"+closedID+"/sign", "application/x-www-form-urlencoded", form(v), sameOrigin)
		if r.status != http.StatusConflict {
			t.Errorf("status %d", r.status)
		}
	})

	t.Run("confirm", func(t *testing.T) {
		r := e.get(t, "/signatures/confirm?token="+goodToken)
		if r.status != http.StatusOK || !strings.Contains(r.body, "Lisbon, join the Cities Coalition for Digital Rights") || !strings.Contains(r.body, "<strong>251</strong>") {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		for token, code := range map[string]int{
			"":                                 http.StatusBadRequest,
			"short":                            http.StatusBadRequest,
			expiredToken:                       http.StatusBadRequest,
			strings.Repeat("x", 40):            http.StatusNotFound,
			strings.Repeat("y", 40) + "&a=<b>": http.StatusNotFound,
		} {
			r := e.get(t, "/signatures/confirm?token="+token)
			if r.status != code {
				t.Errorf("token %q: status %d, want %d", token, r.status, code)
			}
		}
	})

	t.Run("access log", func(t *testing.T) {
		var sawConfirm bool
		for _, entry := range e.logs.All() {
			for k, v := range entry.ContextMap() {
				if s, ok := v.(string); ok && (strings.Contains(s, goodToken) || strings.Contains(s, "ana@example.org") || strings.Contains(s, "token=")) {
					t.Errorf("log %q field %s holds %q", entry.Message, k, s)
				}
			}
			if entry.Message == "http request" && entry.ContextMap()["pattern"] == "GET /signatures/confirm" {
				sawConfirm = true
				if _, ok := entry.ContextMap()["status"]; !ok {
					t.Error("access log lacks status")
				}
			}
		}
		if !sawConfirm {
			t.Error("no access log line with the confirm route pattern")
		}
	})

	t.Run("stylesheet", func(t *testing.T) {
		r := e.get(t, "/static/style.css")
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
			t.Errorf("status %d, %s", r.status, r.header.Get("Content-Type"))
		}
	})
}

func TestHomeDegrades(t *testing.T) {
	e := start(t)
	e.down["membership"].stop()
	r := e.get(t, "/")
	if r.status != http.StatusOK || !strings.Contains(r.body, "cannot be shown right now") || !strings.Contains(r.body, "Lisbon") {
		t.Errorf("status %d: %s", r.status, r.body)
	}
}
