package mailcatcher

import (
	"context"
	"net/smtp"
	"strings"
	"testing"
	"time"
)

func start(t *testing.T, opts Options) *Catcher {
	t.Helper()
	c, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

// send delivers raw with the standard library client.
func send(c *Catcher, from string, to []string, raw string) error {
	return smtp.SendMail(c.Addr(), nil, from, to, []byte(raw))
}

func mustSend(t *testing.T, c *Catcher, from string, to []string, raw string) {
	t.Helper()
	if err := send(c, from, to, raw); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
}

// crlf turns a readable multi-line literal into an RFC 5322 message.
func crlf(s string) string {
	return strings.ReplaceAll(strings.TrimPrefix(s, "\n"), "\n", "\r\n")
}

func waitCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var plainMsg = crlf(`
From: Alice <alice@example.org>
To: Bob <bob@example.org>
Subject: Hello
Date: Mon, 02 Jan 2006 15:04:05 +0000
Content-Type: text/plain; charset=utf-8

Hi Bob,
.leading dot line
bye
`)

var alternativeMsg = crlf(`
From: news@example.org
To: carol@example.org
Subject: Newsletter
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 au lait, a long line that is soft=
 wrapped.
--alt
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: base64

PHA+PGI+Q2Fmw6k8L2I+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjwvcD4=
--alt--
`)

var mixedMsg = crlf(`
From: events@example.org
To: dave@example.org, erin@example.org
Subject: Invitation: Annual Conference
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mix"

--mix
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

You are invited to the conf=E9rence.
--alt
Content-Type: text/html; charset=utf-8

<p>You are invited.</p>
--alt--
--mix
Content-Type: text/calendar; charset=utf-8; method=REQUEST; name="invite.ics"
Content-Disposition: attachment; filename="invite.ics"
Content-Transfer-Encoding: base64

QkVHSU46VkNBTEVOREFSDQpWRVJTSU9OOjIuMA0KTUVUSE9EOlJFUVVFU1QNCkVORDpWQ0FMRU5E
QVINCg==
--mix--
`)

const calendarBody = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"

var encodedSubjectMsg = crlf(`
From: petition@example.org
To: frank@example.org
Subject: =?UTF-8?Q?Best=C3=A4tigen_Sie_Ihre_Unterschrift_=E2=9C=93?=
Content-Type: text/plain; charset=utf-8

Bitte bestätigen.
`)
