package validate

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// render runs kustomize in process, as `kubectl kustomize dir` would.
func render(t *testing.T, dir string) map[string][]map[string]any {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join(repoRoot(t), "deploy", "k8s", dir))
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	return byKind(t, rm)
}

func byKind(t *testing.T, rm resmap.ResMap) map[string][]map[string]any {
	t.Helper()
	out := map[string][]map[string]any{}
	for _, r := range rm.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		out[r.GetKind()] = append(out[r.GetKind()], m)
	}
	return out
}

func TestKustomize(t *testing.T) {
	for _, dir := range []string{"base", "overlays/production"} {
		t.Run(dir, func(t *testing.T) {
			objs := render(t, dir)
			checkDeployments(t, objs)
			checkScalingAndBudgets(t, objs)
			checkNetworkPolicies(t, objs)
			if secrets := objs["Secret"]; len(secrets) > 0 {
				t.Errorf("%d Secret objects rendered: secrets are created out of band and referenced, never kept here", len(secrets))
			}
		})
	}
}

func TestProductionOverlay(t *testing.T) {
	objs := render(t, "overlays/production")
	for _, kind := range []string{"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap"} {
		for _, o := range objs[kind] {
			if ns := str(o, "metadata", "namespace"); ns != "coalition" {
				t.Errorf("%s %s in namespace %q, want coalition", kind, str(o, "metadata", "name"), ns)
			}
		}
	}
	for _, cm := range objs["ConfigMap"] {
		if strings.HasPrefix(str(cm, "metadata", "name"), "coalition-config") && str(cm, "data", "STREAM_REPLICAS") != "3" {
			t.Error("production streams need 3 replicas on the 3-node NATS cluster")
		}
	}
	for _, hpa := range objs["HorizontalPodAutoscaler"] {
		if n, _ := get(hpa, "spec", "minReplicas").(int); n < 2 {
			t.Errorf("HPA %s: minReplicas %v, want at least 2 in production", str(hpa, "metadata", "name"), get(hpa, "spec", "minReplicas"))
		}
	}
}

func checkDeployments(t *testing.T, objs map[string][]map[string]any) {
	t.Helper()
	deployments := objs["Deployment"]
	var names []string
	for _, d := range deployments {
		name := str(d, "metadata", "name")
		names = append(names, name)
		pod := asMap(get(d, "spec", "template", "spec"))
		psc := asMap(pod["securityContext"])
		if psc["runAsNonRoot"] != true {
			t.Errorf("%s: pod securityContext.runAsNonRoot is not true", name)
		}
		if str(psc, "seccompProfile", "type") != "RuntimeDefault" {
			t.Errorf("%s: seccompProfile is not RuntimeDefault", name)
		}
		for _, c := range asSlice(pod["containers"]) {
			c := asMap(c)
			where := name + "/" + str(c, "name")
			if err := checkImageTag(str(c, "image")); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			for _, probe := range []string{"readinessProbe", "livenessProbe"} {
				p := asMap(c[probe])
				switch {
				case p == nil:
					t.Errorf("%s: no %s", where, probe)
				case name == "gateway":
					want := map[string]string{"readinessProbe": "/readyz", "livenessProbe": "/livez"}[probe]
					if str(p, "httpGet", "path") != want {
						t.Errorf("%s: %s should GET %s", where, probe, want)
					}
				default:
					if port, _ := get(p, "grpc", "port").(int); port != ports[name] {
						t.Errorf("%s: %s should be the native gRPC probe on %d, is %v", where, probe, ports[name], p)
					}
				}
			}
			for _, kind := range []string{"requests", "limits"} {
				r := asMap(get(c, "resources", kind))
				if r["cpu"] == nil && kind == "requests" || r["memory"] == nil {
					t.Errorf("%s: resources.%s incomplete: %v", where, kind, r)
				}
			}
			sc := asMap(c["securityContext"])
			if sc["readOnlyRootFilesystem"] != true || sc["allowPrivilegeEscalation"] != false || sc["runAsNonRoot"] != true {
				t.Errorf("%s: container securityContext %v", where, sc)
			}
			if drop := asSlice(get(sc, "capabilities", "drop")); !slices.Contains(drop, any("ALL")) {
				t.Errorf("%s: capabilities not dropped: %v", where, drop)
			}
			// Secrets by reference only.
			for _, e := range asSlice(c["env"]) {
				e := asMap(e)
				n := str(e, "name")
				if (strings.HasSuffix(n, "_URI") || strings.HasSuffix(n, "_URL") || strings.Contains(n, "PASSWORD") || strings.Contains(n, "SECRET") || strings.HasSuffix(n, "_TOKEN")) && get(e, "valueFrom", "secretKeyRef") == nil {
					t.Errorf("%s: %s must come from a Secret (secretKeyRef)", where, n)
				}
			}
		}
	}
	slices.Sort(names)
	want := slices.Sorted(slices.Values(allServices))
	if !slices.Equal(names, want) {
		t.Errorf("deployments %v, want %v", names, want)
	}
}

func checkScalingAndBudgets(t *testing.T, objs map[string][]map[string]any) {
	t.Helper()
	targets := func(kind string, path ...string) []string {
		var out []string
		for _, o := range objs[kind] {
			out = append(out, fmt.Sprint(get(o, path...)))
		}
		return out
	}
	hpas := targets("HorizontalPodAutoscaler", "spec", "scaleTargetRef", "name")
	pdbs := targets("PodDisruptionBudget", "spec", "selector", "matchLabels", "app.kubernetes.io/name")
	services := targets("Service", "metadata", "name")
	for _, d := range objs["Deployment"] {
		name := str(d, "metadata", "name")
		if !slices.Contains(hpas, name) {
			t.Errorf("%s has no HorizontalPodAutoscaler", name)
		}
		if !slices.Contains(pdbs, name) {
			t.Errorf("%s has no PodDisruptionBudget", name)
		}
		if !slices.Contains(services, name) {
			t.Errorf("%s has no Service", name)
		}
		if get(d, "spec", "replicas") != nil {
			t.Errorf("%s sets spec.replicas, which fights its autoscaler", name)
		}
	}
}

func checkNetworkPolicies(t *testing.T, objs map[string][]map[string]any) {
	t.Helper()
	var defaultDeny bool
	egressPorts := map[string][]int{} // pod name label -> allowed egress ports
	for _, np := range objs["NetworkPolicy"] {
		spec := asMap(np["spec"])
		types := asSlice(spec["policyTypes"])
		if len(asMap(spec["podSelector"])) == 0 && slices.Contains(types, any("Ingress")) && slices.Contains(types, any("Egress")) &&
			spec["ingress"] == nil && spec["egress"] == nil {
			defaultDeny = true
		}
		app := str(spec, "podSelector", "matchLabels", "app.kubernetes.io/name")
		for _, rule := range asSlice(spec["egress"]) {
			for _, p := range asSlice(asMap(rule)["ports"]) {
				port, _ := asMap(p)["port"].(int)
				egressPorts[app] = append(egressPorts[app], port)
			}
		}
	}
	if !defaultDeny {
		t.Error("no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)")
	}
	for _, s := range domainServices {
		for _, port := range []int{4222, 27017} {
			if !slices.Contains(egressPorts[s], port) {
				t.Errorf("%s may not reach port %d", s, port)
			}
		}
		if !slices.Contains(egressPorts["gateway"], ports[s]) {
			t.Errorf("gateway may not reach %s on %d", s, ports[s])
		}
	}
	for _, port := range []int{25, 465, 587} {
		if !slices.Contains(egressPorts["notification"], port) {
			t.Errorf("notification may not reach SMTP port %d", port)
		}
		for _, s := range []string{"gateway", "membership", "petition", "events"} {
			if slices.Contains(egressPorts[s], port) {
				t.Errorf("%s may reach SMTP port %d: only notification sends mail", s, port)
			}
		}
	}
	if !slices.Contains(egressPorts[""], 53) {
		t.Error("no DNS egress for all pods")
	}
}

// get walks nested maps.
func get(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func str(m map[string]any, path ...string) string {
	s, _ := get(m, path...).(string)
	return s
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}
