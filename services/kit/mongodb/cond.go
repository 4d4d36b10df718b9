package mongodb

import (
	"bytes"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// Cond is a condition on one document's fields that can be both sent as a
// query filter (MongoDB evaluates it, atomically with an update) and checked
// in Go on a document read by _id (the embedded store, which only finds a
// document fast by a filter that is exactly {_id: X}; see Updater).
//
// The two evaluations agree for what conditions here are used on: strings,
// booleans, numbers (compared as numbers across int32/int64/double), times,
// null, missing fields and arrays of those (an array matches when an
// element does, as in MongoDB). Ordering operators compare only values of
// the same kind, as MongoDB's type bracketing does. Other BSON types are
// compared for equality byte by byte.
type Cond struct {
	filter bson.D
	match  func(doc bson.Raw) bool
	fields []string
	err    error
}

// Filter is the condition as a query filter.
func (c Cond) Filter() bson.D { return c.filter }

// Match checks the condition on a document (which must contain the fields
// the condition reads, see Fields).
func (c Cond) Match(doc bson.Raw) bool { return c.match == nil || c.match(doc) }

// Fields are the document fields the condition reads.
func (c Cond) Fields() []string { return c.fields }

// Err is the error met building the condition (a value that cannot be
// encoded); every operation given such a condition returns it.
func (c Cond) Err() error { return c.err }

// Always is the condition every document satisfies.
func Always() Cond { return Cond{filter: bson.D{}} }

// Eq: the field equals value (a missing field equals only nil).
func Eq(field string, value any) Cond {
	v, err := rawValue(value)
	return leaf(field, value, err, func(got bson.RawValue, ok bool) bool { return equalOrContains(got, ok, v) })
}

// Ne: the field does not equal value ($ne; a missing field differs from any
// value but nil).
func Ne(field string, value any) Cond {
	v, err := rawValue(value)
	return leafOp(field, "$ne", value, err, func(got bson.RawValue, ok bool) bool { return !equalOrContains(got, ok, v) })
}

// In: the field equals one of values ($in).
func In(field string, values ...any) Cond {
	vs := make([]bson.RawValue, len(values))
	var err error
	for i, value := range values {
		if vs[i], err = rawValue(value); err != nil {
			break
		}
	}
	return leafOp(field, "$in", bson.A(values), err, func(got bson.RawValue, ok bool) bool {
		for _, v := range vs {
			if equalOrContains(got, ok, v) {
				return true
			}
		}
		return false
	})
}

// Exists: the field is present (whatever its value, null included).
func Exists(field string) Cond {
	return leafOp(field, "$exists", true, nil, func(_ bson.RawValue, ok bool) bool { return ok })
}

// Missing: the field is absent.
func Missing(field string) Cond {
	return leafOp(field, "$exists", false, nil, func(_ bson.RawValue, ok bool) bool { return !ok })
}

// Lt: the field is less than value ($lt); a missing field or one of
// another kind never matches (so for Lte, Gt and Gte).
func Lt(field string, value any) Cond {
	return order(field, "$lt", value, func(c int) bool { return c < 0 })
}

// Lte: the field is at most value ($lte).
func Lte(field string, value any) Cond {
	return order(field, "$lte", value, func(c int) bool { return c <= 0 })
}

// Gt: the field is more than value ($gt).
func Gt(field string, value any) Cond {
	return order(field, "$gt", value, func(c int) bool { return c > 0 })
}

// Gte: the field is at least value ($gte).
func Gte(field string, value any) Cond {
	return order(field, "$gte", value, func(c int) bool { return c >= 0 })
}

// And: every condition holds.
func And(conds ...Cond) Cond { return combine("$and", conds, true) }

// Or: at least one condition holds.
func Or(conds ...Cond) Cond { return combine("$or", conds, false) }

// Not: the condition does not hold ($nor).
func Not(c Cond) Cond {
	return Cond{
		filter: bson.D{{Key: "$nor", Value: bson.A{c.filter}}},
		match:  func(doc bson.Raw) bool { return !c.Match(doc) },
		fields: c.fields, err: c.err,
	}
}

func combine(op string, conds []Cond, all bool) Cond {
	switch {
	case len(conds) == 1:
		return conds[0]
	case len(conds) == 0 && all:
		return Always()
	case len(conds) == 0:
		return Cond{err: fmt.Errorf("mongodb: %s of no conditions", op)}
	}
	out := Cond{filter: bson.D{}}
	parts := bson.A{}
	for _, c := range conds {
		parts = append(parts, c.filter)
		out.fields = append(out.fields, c.fields...)
		if out.err == nil {
			out.err = c.err
		}
	}
	out.filter = bson.D{{Key: op, Value: parts}}
	out.match = func(doc bson.Raw) bool {
		for _, c := range conds {
			if c.Match(doc) != all {
				return !all
			}
		}
		return all
	}
	return out
}

func leaf(field string, value any, err error, match func(bson.RawValue, bool) bool) Cond {
	return Cond{filter: bson.D{{Key: field, Value: value}}, match: lookup(field, match), fields: []string{field}, err: wrapCondErr(field, err)}
}

func leafOp(field, op string, value any, err error, match func(bson.RawValue, bool) bool) Cond {
	return Cond{filter: bson.D{{Key: field, Value: bson.D{{Key: op, Value: value}}}}, match: lookup(field, match), fields: []string{field}, err: wrapCondErr(field, err)}
}

func order(field, op string, value any, want func(int) bool) Cond {
	v, err := rawValue(value)
	return leafOp(field, op, value, err, func(got bson.RawValue, ok bool) bool {
		if !ok {
			return false
		}
		return anyElement(got, func(e bson.RawValue) bool {
			c, comparable := compare(e, v)
			return comparable && want(c)
		})
	})
}

func wrapCondErr(field string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("mongodb: condition on %q: %w", field, err)
}

func lookup(field string, match func(bson.RawValue, bool) bool) func(bson.Raw) bool {
	path := strings.Split(field, ".")
	return func(doc bson.Raw) bool {
		v, err := doc.LookupErr(path...)
		return match(v, err == nil)
	}
}

func rawValue(v any) (bson.RawValue, error) {
	if v == nil {
		return bson.RawValue{Type: bson.TypeNull}, nil
	}
	t, b, err := bson.MarshalValue(v)
	if err != nil {
		return bson.RawValue{}, err
	}
	return bson.RawValue{Type: t, Value: b}, nil
}

// equalOrContains is MongoDB's {field: v}: equal, or an array with an
// element equal; a missing field matches only null.
func equalOrContains(got bson.RawValue, ok bool, v bson.RawValue) bool {
	if !ok {
		return v.Type == bson.TypeNull
	}
	if equal(got, v) {
		return true
	}
	return got.Type == bson.TypeArray && v.Type != bson.TypeArray && anyElement(got, func(e bson.RawValue) bool { return equal(e, v) })
}

// anyElement applies pred to v, or to each element when v is an array.
func anyElement(v bson.RawValue, pred func(bson.RawValue) bool) bool {
	if v.Type != bson.TypeArray {
		return pred(v)
	}
	vals, err := v.Array().Values()
	if err != nil {
		return false
	}
	for _, e := range vals {
		if pred(e) {
			return true
		}
	}
	return false
}

func equal(a, b bson.RawValue) bool {
	if c, ok := compare(a, b); ok {
		return c == 0
	}
	return a.Type == b.Type && bytes.Equal(a.Value, b.Value)
}

// compare orders two values of the same kind; ok is false for different
// kinds or kinds without an order here.
func compare(a, b bson.RawValue) (c int, ok bool) {
	if an, aok := number(a); aok {
		bn, bok := number(b)
		if !bok {
			return 0, false
		}
		return cmp3(an < bn, an > bn), true
	}
	if a.Type != b.Type {
		return 0, false
	}
	switch a.Type {
	case bson.TypeString:
		as, bs := a.StringValue(), b.StringValue()
		return strings.Compare(as, bs), true
	case bson.TypeBoolean:
		ab, bb := a.Boolean(), b.Boolean()
		return cmp3(!ab && bb, ab && !bb), true
	case bson.TypeDateTime:
		at, bt := a.DateTime(), b.DateTime()
		return cmp3(at < bt, at > bt), true
	case bson.TypeNull:
		return 0, true
	}
	return 0, false
}

func number(v bson.RawValue) (float64, bool) {
	switch v.Type {
	case bson.TypeInt32:
		return float64(v.Int32()), true
	case bson.TypeInt64:
		return float64(v.Int64()), true
	case bson.TypeDouble:
		return v.Double(), true
	}
	return 0, false
}

func cmp3(less, more bool) int {
	switch {
	case less:
		return -1
	case more:
		return 1
	}
	return 0
}
