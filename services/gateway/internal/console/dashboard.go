package console

import (
	"net/http"
	"strconv"
	"sync"

	"golang.org/x/sync/errgroup"

	membershipv1 "github.com/cc4dr/coalition/proto/coalition/membership/v1"
	notificationv1 "github.com/cc4dr/coalition/proto/coalition/notification/v1"
	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// tile is one count on the dashboard, linking to where to act on it.
type tile struct {
	Label, Count, Link, LinkText string
	// Unavailable: the service did not answer; the rest of the page shows.
	Unavailable bool
}

type dashboardPage struct {
	Tiles []tile
	// For representatives: their member.
	Member *membershipv1.Member
}

// dashboard shows coordinators what waits for them, each count from its
// own service so one that does not answer leaves a notice, not an error
// page; representatives see their city and their own data.
func (c *Console) dashboard(rq *request) {
	if !rq.coordinator() {
		var p dashboardPage
		if resp, err := c.membership.GetMember(rq.ctx, &membershipv1.GetMemberRequest{MemberId: rq.sess.MemberID}); err == nil {
			p.Member = resp.GetMember()
		}
		c.show(rq, http.StatusOK, "dashboard", "Console", "dashboard", p)
		return
	}
	tiles := []tile{
		{Label: "Applications submitted", Link: Prefix + "applications?status=APPLICATION_STATUS_SUBMITTED", LinkText: "Review applications"},
		{Label: "Applications under review", Link: Prefix + "applications?status=APPLICATION_STATUS_UNDER_REVIEW", LinkText: "Decide on applications"},
		{Label: "Petition proposals waiting", Link: Prefix + "proposals", LinkText: "Moderate proposals"},
		{Label: "Suspicious signature bursts (last hour)", Link: Prefix + "bursts", LinkText: "Look at bursts"},
		{Label: "Emails that failed", Link: Prefix + "deliveries?status=DELIVERY_STATUS_FAILED", LinkText: "See failed emails"},
		{Label: "Emails waiting to be sent", Link: Prefix + "deliveries?status=DELIVERY_STATUS_PENDING", LinkText: "See pending emails"},
		{Label: "Dead letters", Link: Prefix + "dead-letters", LinkText: "Replay dead letters"},
	}
	var mu sync.Mutex
	set := func(i, n int, more bool, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			tiles[i].Unavailable = true
			return
		}
		tiles[i].Count = strconv.Itoa(n)
		if more {
			tiles[i].Count += "+"
		}
	}
	var g errgroup.Group
	for i, st := range []membershipv1.ApplicationStatus{membershipv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, membershipv1.ApplicationStatus_APPLICATION_STATUS_UNDER_REVIEW} {
		g.Go(func() error {
			resp, err := c.membership.ListApplications(rq.ctx, &membershipv1.ListApplicationsRequest{Status: st, PageSize: 500})
			set(i, len(resp.GetApplications()), len(resp.GetApplications()) == 500, err)
			return nil
		})
	}
	g.Go(func() error {
		resp, err := c.petition.ListProposals(rq.ctx, &petitionv1.ListProposalsRequest{PageSize: 200})
		set(2, len(resp.GetProposals()), len(resp.GetProposals()) == 200, err)
		return nil
	})
	g.Go(func() error {
		resp, err := c.petition.ListSuspiciousBursts(rq.ctx, &petitionv1.ListSuspiciousBurstsRequest{})
		set(3, len(resp.GetBursts()), false, err)
		return nil
	})
	for i, st := range []notificationv1.DeliveryStatus{notificationv1.DeliveryStatus_DELIVERY_STATUS_FAILED, notificationv1.DeliveryStatus_DELIVERY_STATUS_PENDING} {
		g.Go(func() error {
			resp, err := c.notification.ListDeliveries(rq.ctx, &notificationv1.ListDeliveriesRequest{Status: st, PageSize: 100})
			set(4+i, len(resp.GetDeliveries()), resp.GetNextPageToken() != "", err)
			return nil
		})
	}
	g.Go(func() error {
		resp, err := c.notification.ListDeadLetters(rq.ctx, &notificationv1.ListDeadLettersRequest{PageSize: 100})
		set(6, len(resp.GetDeadLetters()), resp.GetNextPageToken() != "", err)
		return nil
	})
	_ = g.Wait()
	c.show(rq, http.StatusOK, "dashboard", "Console", "dashboard", dashboardPage{Tiles: tiles})
}
