// Package broker is the platform's use of NATS JetStream: the connection, the
// one-stream-per-producing-service layout, domain events with CloudEvents
// metadata in NATS headers, publishing with JetStream de-duplication, and
// durable pull consumers with bounded redelivery and a dead-letter hook.
//
// Services never publish directly from a request: they write events into
// their outbox (package outbox), whose relay publishes through this package.
package broker
