package mailcatcher

import (
	"context"
	"fmt"
	"slices"

	"go.uber.org/zap"
)

// The inbox lives in the Catcher: msgs holds messages oldest first, bounded
// by opts.MaxMessages, and arrived is closed and replaced whenever a message
// is added so that waiters can block without polling.

// add stores m, persisting it first when a directory is configured, and
// drops the oldest messages beyond the bound.
func (c *Catcher) add(m Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store != nil {
		if err := c.store.save(m); err != nil {
			c.log.Warn("mailcatcher: persist message", zap.Error(err))
		}
	}
	c.msgs = append(c.msgs, m)
	if extra := len(c.msgs) - c.opts.MaxMessages; extra > 0 {
		c.dropLocked(c.msgs[:extra])
		n := copy(c.msgs, c.msgs[extra:])
		clear(c.msgs[n:])
		c.msgs = c.msgs[:n]
	}
	close(c.arrived)
	c.arrived = make(chan struct{})
}

// dropLocked removes the persisted copies of msgs.
func (c *Catcher) dropLocked(msgs []Message) {
	if c.store == nil {
		return
	}
	for _, m := range msgs {
		if err := c.store.remove(m.ID); err != nil {
			c.log.Warn("mailcatcher: remove persisted message", zap.Error(err))
		}
	}
}

// Messages returns all messages, newest first.
func (c *Catcher) Messages() []Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := slices.Clone(c.msgs)
	slices.Reverse(out)
	return out
}

// Get returns the message with the given ID.
func (c *Catcher) Get(id string) (Message, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.msgs) - 1; i >= 0; i-- {
		if c.msgs[i].ID == id {
			return c.msgs[i], true
		}
	}
	return Message{}, false
}

// Clear empties the inbox, including its persisted copy.
func (c *Catcher) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dropLocked(c.msgs)
	clear(c.msgs)
	c.msgs = c.msgs[:0]
}

// Count returns how many messages satisfy pred; a nil pred counts all.
func (c *Catcher) Count(pred func(Message) bool) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if pred == nil {
		return len(c.msgs)
	}
	n := 0
	for _, m := range c.msgs {
		if pred(m) {
			n++
		}
	}
	return n
}

// WaitFor returns the newest message satisfying pred (nil matches any),
// blocking until one arrives if none is in the inbox yet. It returns the
// context's error, wrapped, if ctx ends first.
func (c *Catcher) WaitFor(ctx context.Context, pred func(Message) bool) (Message, error) {
	for {
		c.mu.Lock()
		msgs := slices.Clone(c.msgs)
		arrived := c.arrived
		c.mu.Unlock()

		for i := len(msgs) - 1; i >= 0; i-- {
			if pred == nil || pred(msgs[i]) {
				return msgs[i], nil
			}
		}
		select {
		case <-ctx.Done():
			return Message{}, fmt.Errorf("mailcatcher: wait for message: %w", context.Cause(ctx))
		case <-arrived:
		}
	}
}
