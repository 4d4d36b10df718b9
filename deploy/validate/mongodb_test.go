package validate

import (
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestMongoDBReplicaSet: the operator's resource makes a 3-member replica
// set and, for each domain service, a user confined to its own database whose
// connection string lands in the Secret the service's Deployment reads.
func TestMongoDBReplicaSet(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), "deploy", "k8s", "mongodb", "mongodb.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cr struct {
		Kind string
		Spec struct {
			Type    string
			Members int
			Users   []struct {
				Name, DB                        string
				Roles                           []struct{ Name, DB string }
				ConnectionStringSecretName      string `yaml:"connectionStringSecretName"`
				ConnectionStringSecretNamespace string `yaml:"connectionStringSecretNamespace"`
			}
		}
	}
	if err := yaml.Unmarshal(raw, &cr); err != nil {
		t.Fatal(err)
	}
	if cr.Kind != "MongoDBCommunity" || cr.Spec.Type != "ReplicaSet" || cr.Spec.Members != 3 {
		t.Errorf("want a 3-member MongoDBCommunity replica set, got %s %s of %d", cr.Kind, cr.Spec.Type, cr.Spec.Members)
	}

	// The Secrets the rendered Deployments read MONGO_URI from.
	wantSecret := map[string]string{}
	for _, d := range render(t, "overlays/production")["Deployment"] {
		for _, c := range asSlice(get(d, "spec", "template", "spec", "containers")) {
			for _, e := range asSlice(asMap(c)["env"]) {
				if str(asMap(e), "name") == "MONGO_URI" {
					wantSecret[str(d, "metadata", "name")] = str(asMap(e), "valueFrom", "secretKeyRef", "name")
				}
			}
		}
	}
	found := map[string]bool{}
	for _, u := range cr.Spec.Users {
		secret, isService := wantSecret[u.Name]
		if !isService {
			continue
		}
		found[u.Name] = true
		if u.DB != u.Name || len(u.Roles) != 1 || u.Roles[0].Name != "readWrite" || u.Roles[0].DB != u.Name {
			t.Errorf("user %s: db %s roles %v; want readWrite on its own database only", u.Name, u.DB, u.Roles)
		}
		if u.ConnectionStringSecretName != secret || u.ConnectionStringSecretNamespace != "coalition" {
			t.Errorf("user %s: connection string in %s/%s, but the Deployment reads coalition/%s",
				u.Name, u.ConnectionStringSecretNamespace, u.ConnectionStringSecretName, secret)
		}
	}
	for _, s := range domainServices {
		if !found[s] {
			t.Errorf("no MongoDB user for %s", s)
		}
	}
}
