// Package openapi serves the OpenAPI (Swagger 2.0) document of the public JSON
// API. It is generated from the proto contracts by `make proto`
// (protoc-gen-openapiv2, one merged document), so it describes exactly the
// routes the gateway registers from the same google.api.http annotations.
package openapi

import _ "embed"

//go:embed coalition.swagger.json
var document []byte

// Document returns the generated OpenAPI document (JSON).
func Document() []byte { return document }
