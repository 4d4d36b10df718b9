package config

import (
	"encoding"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Var describes one environment variable a config struct reads.
type Var struct {
	Name        string // full variable name, prefix included
	Type        string // Go type, e.g. "string", "time.Duration"
	Default     string // envDefault value; empty if none
	HasDefault  bool
	Required    bool   // tagged `,required` or `,notEmpty`
	Description string // from the `desc` tag
}

var (
	durationType        = reflect.TypeOf(time.Duration(0))
	textUnmarshalerType = reflect.TypeOf((*encoding.TextUnmarshaler)(nil)).Elem()
)

// Describe lists the variables cfg (a struct or pointer to one) reads when
// loaded with prefix, in field order. It mirrors env's rules: fields without
// an env tag that are structs are walked (with their `envPrefix`), so an
// embedded [Common] shows up in place.
func Describe(cfg any, prefix string) []Var {
	t := reflect.TypeOf(cfg)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []Var
	describeStruct(t, prefix, &out)
	return out
}

func describeStruct(t reflect.Type, prefix string, out *[]Var) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("env"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if isNested(ft) {
				describeStruct(ft, prefix+f.Tag.Get("envPrefix"), out)
			}
			continue
		}
		def, hasDef := f.Tag.Lookup("envDefault")
		*out = append(*out, Var{
			Name:        prefix + name,
			Type:        typeName(f.Type),
			Default:     def,
			HasDefault:  hasDef,
			Required:    strings.Contains(opts, "required") || strings.Contains(opts, "notEmpty"),
			Description: f.Tag.Get("desc"),
		})
	}
}

// isNested reports whether env would recurse into a struct field rather than
// parse it as one value (time.Time, url.URL and the like parse as one value).
func isNested(t reflect.Type) bool {
	if t.Kind() != reflect.Struct {
		return false
	}
	if t.Implements(textUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return false
	}
	switch t.String() {
	case "time.Time", "url.URL":
		return false
	}
	return true
}

func typeName(t reflect.Type) string {
	if t == durationType {
		return "duration"
	}
	return t.String()
}

// Table renders vars as a Markdown table (name, default, description) for the
// README and --help output.
func Table(vars []Var) string {
	var b strings.Builder
	b.WriteString("| Variable | Default | Description |\n|---|---|---|\n")
	for _, v := range vars {
		def := "`" + v.Default + "`"
		switch {
		case v.Required:
			def = "(required)"
		case !v.HasDefault:
			def = ""
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", v.Name, def, v.Description)
	}
	return b.String()
}
