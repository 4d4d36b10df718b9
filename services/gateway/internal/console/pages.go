package console

import (
	"net/http"

	"github.com/google/uuid"
)

func (c *Console) registerPages(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"{$}", c.page(signedIn, c.dashboard))

	mux.HandleFunc("GET "+Prefix+"applications", c.page(coordinatorOnly, c.applications))
	mux.HandleFunc("GET "+Prefix+"applications/{id}", c.page(coordinatorOnly, withID(c.application)))
	mux.HandleFunc("POST "+Prefix+"applications/{id}/start-review", c.page(coordinatorOnly, withID(c.startReview)))
	mux.HandleFunc("POST "+Prefix+"applications/{id}/approve", c.page(coordinatorOnly, withID(c.approve)))
	mux.HandleFunc("POST "+Prefix+"applications/{id}/reject", c.page(coordinatorOnly, withID(c.reject)))

	mux.HandleFunc("GET "+Prefix+"members", c.page(coordinatorOnly, c.members))
	mux.HandleFunc("GET "+Prefix+"members/{id}", c.page(signedIn, c.ownMember(c.member)))
	mux.HandleFunc("POST "+Prefix+"members/{id}", c.page(signedIn, c.ownMember(c.updateMember)))
	mux.HandleFunc("POST "+Prefix+"members/{id}/status", c.page(coordinatorOnly, withID(c.changeStatus)))
	mux.HandleFunc("POST "+Prefix+"members/{id}/representatives", c.page(signedIn, c.ownMember(c.addRepresentative)))
	mux.HandleFunc("GET "+Prefix+"members/{id}/representatives/{rid}", c.page(signedIn, c.ownMember(c.representative)))
	mux.HandleFunc("POST "+Prefix+"members/{id}/representatives/{rid}", c.page(signedIn, c.ownMember(c.updateRepresentative)))
	mux.HandleFunc("GET "+Prefix+"members/{id}/representatives/{rid}/remove", c.page(signedIn, c.ownMember(c.confirmRemove)))
	mux.HandleFunc("POST "+Prefix+"members/{id}/representatives/{rid}/remove", c.page(signedIn, c.ownMember(c.removeRepresentative)))

	mux.HandleFunc("GET "+Prefix+"bodies", c.page(coordinatorOnly, c.bodies))
	mux.HandleFunc("GET "+Prefix+"bodies/{id}", c.page(coordinatorOnly, withID(c.body)))
	mux.HandleFunc("POST "+Prefix+"bodies/{id}", c.page(coordinatorOnly, withID(c.setComposition)))

	mux.HandleFunc("GET "+Prefix+"proposals", c.page(coordinatorOnly, c.proposals))
	mux.HandleFunc("GET "+Prefix+"proposals/{id}", c.page(coordinatorOnly, withID(c.proposal)))
	mux.HandleFunc("POST "+Prefix+"proposals/{id}/edit", c.page(coordinatorOnly, withID(c.editProposal)))
	mux.HandleFunc("POST "+Prefix+"proposals/{id}/publish", c.page(coordinatorOnly, withID(c.publishProposal)))
	mux.HandleFunc("POST "+Prefix+"proposals/{id}/reject", c.page(coordinatorOnly, withID(c.rejectProposal)))

	mux.HandleFunc("GET "+Prefix+"bursts", c.page(coordinatorOnly, c.bursts))
	mux.HandleFunc("GET "+Prefix+"deliveries", c.page(coordinatorOnly, c.deliveries))
	mux.HandleFunc("POST "+Prefix+"deliveries/{id}/resend", c.page(coordinatorOnly, c.resendDelivery))
	mux.HandleFunc("GET "+Prefix+"dead-letters", c.page(coordinatorOnly, c.deadLetters))
	mux.HandleFunc("POST "+Prefix+"dead-letters/{consumer}/{event}/replay", c.page(coordinatorOnly, c.replayDeadLetter))

	mux.HandleFunc("GET "+Prefix+"me", c.page(signedIn, c.me))
	mux.HandleFunc("POST "+Prefix+"me", c.page(signedIn, c.updateMe))
	mux.HandleFunc("GET "+Prefix+"invitations", c.page(signedIn, c.invitations))
	mux.HandleFunc("POST "+Prefix+"invitations/{id}/respond", c.page(signedIn, withID(c.respondToInvitation)))

	c.registerAssemblies(mux) // assemblies.go
}

// withID passes the path's {id} (and {rid}, when there) on, answering 404
// for anything that is not a UUID before any call is made.
func withID(h func(rq *request, id string)) func(*request) {
	return func(rq *request) {
		id := rq.r.PathValue("id")
		if uuid.Validate(id) != nil || (rq.r.PathValue("rid") != "" && uuid.Validate(rq.r.PathValue("rid")) != nil) {
			rq.notFound()
			return
		}
		h(rq, id)
	}
}

// ownMember is withID for a member's pages, which coordinators and the
// member's own representatives may open (others get 403).
func (c *Console) ownMember(h func(rq *request, id string)) func(*request) {
	return withID(func(rq *request, id string) {
		if !rq.mayActFor(id) {
			c.forbidden(rq.w, rq.r, &rq.sess)
			return
		}
		h(rq, id)
	})
}

func (rq *request) notFound() {
	rq.c().renderError(rq.w, rq.r, &rq.sess, http.StatusNotFound, "Not found", "There is nothing at this address.")
}
