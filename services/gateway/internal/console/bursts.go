package console

import (
	"net/http"
	"strconv"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	petitionv1 "github.com/cc4dr/coalition/proto/coalition/petition/v1"
)

// burstWindows are the look-back choices.
var burstWindows = []option{{"1h", "Last hour"}, {"24h", "Last 24 hours"}, {"168h", "Last 7 days"}, {"720h", "Last 30 days"}}

type burstRow struct {
	Source, Key         string
	Signatures, Targets int32
	First, Last         time.Time
}

type burstsPage struct {
	Window    string
	Windows   []option
	Threshold string
	Rows      []burstRow
	Form      *form
}

// bursts shows many signatures from one network address (as a salted
// hash) or one email domain within a window.
func (c *Console) bursts(rq *request) {
	q := rq.r.URL.Query()
	p := burstsPage{Window: "1h", Windows: burstWindows, Threshold: "20", Form: newForm("filters")}
	if w := q.Get("window"); validOption(burstWindows, w) {
		p.Window = w
	}
	d, _ := time.ParseDuration(p.Window)
	req := &petitionv1.ListSuspiciousBurstsRequest{Window: durationpb.New(d), Threshold: 20}
	if s := q.Get("threshold"); s != "" {
		p.Threshold = trim(s, 10)
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1_000_000 {
			p.Form.Errors["threshold"] = "Enter a whole number from 1 to 1000000."
		} else {
			req.Threshold = int32(n)
		}
	}
	resp, err := c.petition.ListSuspiciousBursts(rq.ctx, req)
	if err != nil {
		c.fail(rq, err)
		return
	}
	for _, b := range resp.GetBursts() {
		src := "Email domain"
		if b.GetSource() == petitionv1.BurstSource_BURST_SOURCE_IP {
			src = "Network address (hashed)"
		}
		p.Rows = append(p.Rows, burstRow{Source: src, Key: b.GetKey(), Signatures: b.GetSignatures(), Targets: b.GetPetitions(),
			First: when(b.GetFirstAt()), Last: when(b.GetLastAt())})
	}
	code := http.StatusOK
	if p.Form.HasErrors() {
		code = http.StatusBadRequest
	}
	c.show(rq, code, "bursts", "Suspicious bursts", "bursts", p)
}
