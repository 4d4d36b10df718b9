package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	"github.com/cc4dr/coalition/services/kit/mailcatcher"
)

// api calls the gateway's JSON API and decodes the answer into out (if
// given), returning the HTTP status.
func api(t *testing.T, method, path, token string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case []byte:
			rd = bytes.NewReader(b)
		default:
			buf, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(buf)
		}
	}
	req, err := http.NewRequest(method, shared.Addresses().GatewayURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode
}

func coordinatorToken(t *testing.T) string {
	t.Helper()
	tok, err := shared.Token("e2e-coordinator", optionsv1.Role_ROLE_COORDINATOR, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

type petition struct {
	ID             string `json:"id"`
	City           string `json:"city"`
	Goal           int    `json:"goal"`
	ConfirmedCount int    `json:"confirmed_count"`
}

// newPetition opens a petition through the API as a coordinator.
func newPetition(t *testing.T, city string) petition {
	t.Helper()
	var out struct{ Petition petition }
	status := api(t, "POST", "/api/v1/petitions", coordinatorToken(t), map[string]any{
		"city": city, "country": "ES", "goal": 100,
		"texts": []map[string]string{{"language": "en", "title": city + ", join the coalition", "body": "Please."}},
	}, &out)
	if status != http.StatusOK || out.Petition.ID == "" {
		t.Fatalf("create petition: %d %+v", status, out)
	}
	return out.Petition
}

func getPetition(t *testing.T, id string) petition {
	t.Helper()
	var out struct{ Petition petition }
	if status := api(t, "GET", "/api/v1/petitions/"+id, "", nil, &out); status != http.StatusOK {
		t.Fatalf("get petition: %d", status)
	}
	return out.Petition
}

func signature(email string) map[string]any {
	return map[string]any{"name": "Test Signer", "email": email, "lives_or_works_in_city": true, "notify_outcome": true, "language": "en"}
}

// inboxMessage is one message of the catcher's JSON API.
type inboxMessage struct {
	ID      string    `json:"id"`
	From    string    `json:"from"`
	To      []string  `json:"to"`
	Subject string    `json:"subject"`
	Time    time.Time `json:"time"`
}

// mailTo lists the catcher's messages for an address through its HTTP API.
func mailTo(t *testing.T, addr string) []inboxMessage {
	t.Helper()
	resp, err := http.Get(shared.Addresses().MailURL + "/messages?to=" + addr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out []inboxMessage
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitForMail waits until the catcher holds a message for addr and returns
// its raw source, fetched over HTTP.
func waitForMail(t *testing.T, addr string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msg, err := shared.Mail().WaitFor(ctx, func(m mailcatcher.Message) bool {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				return true
			}
		}
		return false
	})
	if err != nil {
		t.Fatalf("no email for %s: %v", addr, err)
	}
	resp, err := http.Get(shared.Addresses().MailURL + "/messages/" + msg.ID + "/raw")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return raw
}

// parsedMail is an email parsed as MIME.
type parsedMail struct {
	Header mail.Header
	Text   string
	HTML   string
}

func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not RFC 5322: %v", err)
	}
	out := parsedMail{Header: m.Header}
	mediaType, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mediaType, "multipart/") {
		t.Fatalf("want multipart, got %q (%v)", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = part
		if part.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			r = quotedprintable.NewReader(part)
		}
		body, _ := io.ReadAll(r)
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			out.Text = string(body)
		case "text/html":
			out.HTML = string(body)
		}
	}
	return out
}

var confirmLink = regexp.MustCompile(`https?://\S+/signatures/confirm\?token=[A-Za-z0-9_%-]+`)

// storeCollection opens a collection of a service's database directly, to
// check what was (not) stored.
func storeCollection(t *testing.T, database, collection string) *mongo.Collection {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(shared.Addresses().StoreURI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client.Database(database).Collection(collection)
}

func countSignatures(t *testing.T, petitionID string) int64 {
	t.Helper()
	n, err := storeCollection(t, "petition", "signatures").CountDocuments(context.Background(), bson.D{{Key: "petition_id", Value: petitionID}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
