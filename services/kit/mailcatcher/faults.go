package mailcatcher

import (
	"github.com/emersion/go-smtp"
)

// faults holds the failures injected by FailNext and SetDown; it is
// guarded by Catcher.faultMu.
type faults struct {
	remaining int
	err       *smtp.SMTPError
	down      bool
}

// FailNext makes the next n RCPT or DATA commands, counted across all
// connections, fail with the given SMTP reply code (e.g. 451 for a
// temporary failure, 550 for a permanent one) and message. Each failing
// command consumes one of the n. n <= 0 cancels pending failures.
func (c *Catcher) FailNext(n int, code int, message string) {
	if message == "" {
		message = "Failure injected by mailcatcher"
	}
	enh := smtp.NoEnhancedCode
	if class := code / 100; class == 2 || class == 4 || class == 5 {
		enh = smtp.EnhancedCode{class, 0, 0}
	}
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	c.faults.remaining = max(n, 0)
	c.faults.err = &smtp.SMTPError{Code: code, EnhancedCode: enh, Message: message}
}

// SetDown, while true, makes every transaction (MAIL, RCPT, DATA) fail
// with 421 as if the service were unavailable.
func (c *Catcher) SetDown(down bool) {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	c.faults.down = down
}

// errDown is the reply used while the catcher is set down.
func errDown() *smtp.SMTPError {
	return &smtp.SMTPError{
		Code:         421,
		EnhancedCode: smtp.EnhancedCode{4, 3, 2},
		Message:      "Service not available (mailcatcher is set down)",
	}
}

// checkDown returns the 421 error while the catcher is set down.
func (c *Catcher) checkDown() error {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	if c.faults.down {
		return errDown()
	}
	return nil
}

// checkFault returns the 421 error while down, otherwise consumes one
// injected failure if any is pending.
func (c *Catcher) checkFault() error {
	c.faultMu.Lock()
	defer c.faultMu.Unlock()
	if c.faults.down {
		return errDown()
	}
	if c.faults.remaining > 0 {
		c.faults.remaining--
		e := *c.faults.err
		return &e
	}
	return nil
}
