// Package validate checks the deployment without running it: this machine
// (and CI) has no Docker engine and no Kubernetes cluster, so the tests load
// docker-compose.yml with the compose-spec loader, read every service's
// Dockerfile and build its binary with the Dockerfile's own command, render
// the kustomize overlays in process, and start NATS with the compose
// configuration to prove each service's permissions. What only a real
// engine can show (images build and start, MongoDB initialises, probes pass)
// is listed in deploy/README.md.
package validate
