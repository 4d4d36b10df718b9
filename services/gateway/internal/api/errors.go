package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	rpccode "google.golang.org/genproto/googleapis/rpc/code"
	_ "google.golang.org/genproto/googleapis/rpc/errdetails" // detail types, for rendering Any
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/cc4dr/coalition/services/gateway/internal/httpx"
)

// Error is the JSON body of every API error:
//
//	{"code": 3, "status": "INVALID_ARGUMENT", "message": "...",
//	 "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
//	              "field_violations": [{"field": "email", "description": "..."}]}]}
type Error struct {
	// Code is the gRPC status code number.
	Code int32 `json:"code"`
	// Status is the code's name as google.rpc.Code spells it.
	Status  string            `json:"status"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
}

var detailJSON = protojson.MarshalOptions{UseProtoNames: true}

// ErrorBody turns a status into the API's error body.
func ErrorBody(st *status.Status) Error {
	e := Error{
		Code:    int32(st.Code()),
		Status:  CodeName(st.Code()),
		Message: st.Message(),
		Details: []json.RawMessage{},
	}
	for _, d := range st.Proto().GetDetails() {
		b, err := detailJSON.Marshal(d)
		if err != nil {
			// A detail type this binary does not know: say what it is.
			b, _ = json.Marshal(map[string]string{"@type": d.GetTypeUrl()})
		}
		e.Details = append(e.Details, b)
	}
	return e
}

// CodeName is the upper-case name of a gRPC code ("INVALID_ARGUMENT").
func CodeName(c codes.Code) string {
	if n, ok := rpccode.Code_name[int32(c)]; ok {
		return n
	}
	return fmt.Sprintf("CODE_%d", uint32(c))
}

// WriteError writes st as the API's JSON error with the given HTTP status
// (0: the status grpc-gateway maps the code to).
func WriteError(w http.ResponseWriter, httpStatus int, st *status.Status) {
	if httpStatus == 0 {
		httpStatus = runtime.HTTPStatusFromCode(st.Code())
	}
	b, err := json.Marshal(ErrorBody(st))
	if err != nil {
		httpStatus = http.StatusInternalServerError
		b = []byte(`{"code":13,"status":"INTERNAL","message":"failed to encode the error","details":[]}`)
	}
	h := w.Header()
	h.Del("Trailer")
	h.Del("Transfer-Encoding")
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if st.Code() == codes.Unauthenticated {
		h.Set("WWW-Authenticate", `Bearer realm="coalition"`)
	}
	w.WriteHeader(httpStatus)
	_, _ = w.Write(append(b, '\n'))
}

// TooLarge is the 413 answer to a body over the limit.
func TooLarge(w http.ResponseWriter, _ *http.Request) {
	WriteError(w, http.StatusRequestEntityTooLarge,
		status.New(codes.ResourceExhausted, "the request body is too large"))
}

// Forbidden is the 403 answer to a cross-origin unsafe request.
func Forbidden(w http.ResponseWriter, _ *http.Request) {
	WriteError(w, http.StatusForbidden,
		status.New(codes.PermissionDenied, "cross-origin request refused"))
}

// ErrorHandler is the grpc-gateway error handler: the HTTP status is
// grpc-gateway's mapping of the code (or the routing error's own status),
// except that a body over the limit answers 413.
func ErrorHandler(ctx context.Context, _ *runtime.ServeMux, _ runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	httpStatus := 0
	var custom *runtime.HTTPStatusError
	if errors.As(err, &custom) {
		httpStatus = custom.HTTPStatus
		err = custom.Err
	}
	if httpx.BodyTooLarge(r.Context(), err) {
		TooLarge(w, r)
		return
	}
	st := status.Convert(err)
	if st.Code() == codes.OK {
		st = status.New(codes.Unknown, st.Message())
	}
	WriteError(w, httpStatus, Public(st))
}

// Public hides what a client-side transport failure says about the inside
// of the cluster (addresses, dial errors): a service that cannot be reached
// is simply unavailable. Statuses the services themselves return pass as
// they are.
func Public(st *status.Status) *status.Status {
	if st.Code() == codes.Unavailable && len(st.Proto().GetDetails()) == 0 && looksLikeTransport(st.Message()) {
		return status.New(codes.Unavailable, "the service is unavailable; try again shortly")
	}
	return st
}

func looksLikeTransport(msg string) bool {
	for _, s := range []string{"connection error", "transport", "dial", "name resolver", "connect:"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
