// Package config loads a service's settings from environment variables.
//
// Settings are plain structs tagged for github.com/caarlos0/env/v11
// (`env:"NAME" envDefault:"value" desc:"what it is for"`). Services embed
// [Common] for the settings every service shares and add their own fields;
// [Describe] turns the same struct into a table for the README and --help,
// so documentation and behaviour cannot drift apart.
package config
