package mailer

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/wneessen/go-mail"
)

// Summary describes a send error without naming anyone, for places that
// outlive the delivery record (the DeliveryFailed event stays on its stream
// and is never erased). go-mail's error text lists the affected recipients
// and the server's reply, which often echoes the address; Summary keeps only
// the failed step and the SMTP reply and enhanced status codes.
func Summary(err error) string {
	if err == nil {
		return ""
	}
	kind := "temporary"
	if IsPermanent(err) {
		kind = "permanent"
	}
	var se *mail.SendError
	var ne net.Error
	switch {
	case errors.As(err, &se):
		out := fmt.Sprintf("smtp (%s): %s", kind, se.Reason)
		if code := se.ErrorCode(); code > 0 {
			out += fmt.Sprintf(": %d", code)
			if esc := se.EnhancedStatusCode(); esc != "" {
				out += " " + esc
			}
		}
		return out
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Sprintf("smtp (%s): timed out", kind)
	case errors.As(err, &ne):
		return fmt.Sprintf("smtp (%s): could not reach the SMTP server", kind)
	default:
		return fmt.Sprintf("smtp (%s): failed (details on the delivery record)", kind)
	}
}
