package auth

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	// The services' descriptors must be linked in, as they are in a server.
	_ "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	optionsv1 "github.com/cc4dr/coalition/proto/coalition/options/v1"
	_ "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

func keys(t *testing.T) (ed25519.PrivateKey, *Verifier) {
	t.Helper()
	key, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pubs, err := ParsePublicKeys(EncodePublicKey(key.Public().(ed25519.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	return key, NewVerifier(pubs...)
}

func TestIssueAndVerify(t *testing.T) {
	key, v := keys(t)
	tok, err := NewSigner(key, "test").Issue("ana", optionsv1.Role_ROLE_REPRESENTATIVE, "member-1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	c, err := v.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "ana" || c.Role != optionsv1.Role_ROLE_REPRESENTATIVE || c.MemberID != "member-1" {
		t.Fatalf("claims %+v", c)
	}
}

func TestVerifyRejects(t *testing.T) {
	key, v := keys(t)
	other, _ := GenerateKey()
	expired, _ := NewSigner(key, "test").Issue("ana", optionsv1.Role_ROLE_COORDINATOR, "", -time.Hour)
	foreign, _ := NewSigner(other, "test").Issue("ana", optionsv1.Role_ROLE_COORDINATOR, "", time.Hour)
	noRole, _ := NewSigner(key, "test").Issue("ana", optionsv1.Role_ROLE_UNSPECIFIED, "", time.Hour)
	// An unsigned token claiming to be a coordinator.
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, Claims{
		RegisteredClaims: jwt.RegisteredClaims{Audience: jwt.ClaimStrings{Audience}, ExpiresAt: jwt.NewNumericDate(time.Now().Add(time.Hour))},
		Role:             optionsv1.Role_ROLE_COORDINATOR,
	}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	for name, tok := range map[string]string{"expired": expired, "foreign key": foreign, "no role": noRole, "alg none": none, "garbage": "a.b.c"} {
		if _, err := v.Verify(tok); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestKeyEncodingRoundTrip(t *testing.T) {
	key, _ := GenerateKey()
	back, err := ParsePrivateKey(EncodePrivateKey(key))
	if err != nil || !back.Equal(key) {
		t.Fatalf("private key round trip: %v", err)
	}
	if _, err := ParsePrivateKey("short"); err == nil {
		t.Fatal("bad key accepted")
	}
	if _, err := ParsePublicKeys("x,y"); err == nil {
		t.Fatal("bad public keys accepted")
	}
}

func TestAccessComesFromTheProto(t *testing.T) {
	cases := map[string]optionsv1.Access{
		"/coalition.petition.v1.PetitionService/SignPetition":   optionsv1.Access_ACCESS_PUBLIC,
		"/coalition.petition.v1.PetitionService/CreatePetition": optionsv1.Access_ACCESS_COORDINATOR,
		"/coalition.membership.v1.MembershipService/LookupCity": optionsv1.Access_ACCESS_SERVICE,
		"/grpc.health.v1.Health/Check":                          optionsv1.Access_ACCESS_PUBLIC,
	}
	for method, want := range cases {
		got, ok := AccessOf(method)
		if !ok || got != want {
			t.Errorf("%s: %v %v, want %v", method, got, ok, want)
		}
	}
	if _, ok := AccessOf("/coalition.petition.v1.PetitionService/NoSuchMethod"); ok {
		t.Error("unknown method must declare nothing")
	}
}

func TestAllowed(t *testing.T) {
	coord := &Claims{Role: optionsv1.Role_ROLE_COORDINATOR}
	rep := &Claims{Role: optionsv1.Role_ROLE_REPRESENTATIVE}
	svc := &Claims{Role: optionsv1.Role_ROLE_SERVICE}
	type tc struct {
		access optionsv1.Access
		c      *Claims
		want   bool
	}
	for _, c := range []tc{
		{optionsv1.Access_ACCESS_PUBLIC, nil, true},
		{optionsv1.Access_ACCESS_COORDINATOR, nil, false},
		{optionsv1.Access_ACCESS_COORDINATOR, rep, false},
		{optionsv1.Access_ACCESS_COORDINATOR, svc, false},
		{optionsv1.Access_ACCESS_COORDINATOR, coord, true},
		{optionsv1.Access_ACCESS_SERVICE, svc, true},
		{optionsv1.Access_ACCESS_SERVICE, rep, false},
		{optionsv1.Access_ACCESS_REPRESENTATIVE, rep, true},
		{optionsv1.Access_ACCESS_REPRESENTATIVE, svc, false},
		{optionsv1.Access_ACCESS_UNSPECIFIED, coord, false},
	} {
		if got := Allowed(c.access, c.c); got != c.want {
			t.Errorf("Allowed(%v, %v) = %v", c.access, c.c, got)
		}
	}
}
