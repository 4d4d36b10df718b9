package mailer_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cc4dr/coalition/services/kit/mailcatcher"
	"github.com/cc4dr/coalition/services/notification/internal/mailer"
)

// TestImplicitTLS sends through a TLS front (a self-signed certificate, as
// development servers have) to the catcher: with certificate checks
// skipped it goes; with checks it is refused as a temporary failure (the
// operator fixes the certificate, the email waits), and skipping checks
// is refused outright when a password would be sent.
func TestImplicitTLS(t *testing.T) {
	catcher, err := mailcatcher.Start(context.Background(), mailcatcher.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = catcher.Close() })
	front := tlsFront(t, catcher.Addr())
	host, portText, _ := net.SplitHostPort(front)
	port, _ := strconv.Atoi(portText)
	opts := mailer.Options{Host: host, Port: port, TLS: "tls", From: "Coalition <no-reply@coalition.test>", Timeout: 5 * time.Second}
	msg := mailer.Message{To: "tls@example.org", Subject: "over TLS", Text: "hello"}

	verifying, err := mailer.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	err = verifying.Send(context.Background(), msg)
	if err == nil || mailer.IsPermanent(err) {
		t.Fatalf("unknown certificate: %v, want a temporary error", err)
	}

	opts.TLSSkipVerify = true
	dev, err := mailer.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := dev.Send(context.Background(), msg); err != nil {
			t.Fatalf("skip-verify: %v", err)
		}
	}
	if n := len(catcher.Messages()); n != 2 {
		t.Fatalf("%d messages through TLS, want 2", n)
	}
	dev.Close()

	opts.Username, opts.Password = "u", "secret"
	if _, err := mailer.New(opts); err == nil || !strings.Contains(err.Error(), "password") {
		t.Errorf("skip-verify with a password: %v, want refused", err)
	}
	if _, err := mailer.New(mailer.Options{Host: host, Port: port, TLS: "none", TLSSkipVerify: true, From: "x@y.z"}); err == nil {
		t.Error("skip-verify without TLS was accepted")
	}
	if _, err := mailer.New(mailer.Options{Host: host, Port: port, TLS: "sometimes", From: "x@y.z"}); err == nil {
		t.Error("an unknown TLS mode was accepted")
	}
}

// tlsFront terminates TLS with a fresh self-signed certificate and passes
// the plain bytes to target: an implicit-TLS SMTP server.
func tlsFront(t *testing.T, target string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtp.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer up.Close()
				go func() { _, _ = io.Copy(up, c) }()
				_, _ = io.Copy(c, up)
			}()
		}
	}()
	return ln.Addr().String()
}
