package console

import "strings"

// fieldView is what the input, textarea and select templates draw: a
// labelled control with its hint, its error and the value entered.
type fieldView struct {
	ID, Name, Label, Type, Value, Error, Hint, Auto, Blank string
	Max, Rows                                              int
	Required                                               bool
	Options                                                []option
}

// Describedby lists the ids of the hint and error, for aria-describedby.
func (f fieldView) Describedby() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// fieldFuncs are the template functions that build fieldViews:
// {{template "input" (field .Form "name" "Name" "text" 200 true | hint "…" | auto "name")}}.
func fieldFuncs() map[string]any {
	return map[string]any{
		"field": func(f *form, name, label, typ string, max int, required bool) fieldView {
			id := name
			if f != nil && f.ID != "" {
				id = f.ID + "-" + name
			}
			return fieldView{ID: id, Name: name, Label: label, Type: typ, Max: max, Required: required, Value: f.Get(name), Error: f.Err(name)}
		},
		"hint":      func(h string, fv fieldView) fieldView { fv.Hint = h; return fv },
		"auto":      func(a string, fv fieldView) fieldView { fv.Auto = a; return fv },
		"rows":      func(n int, fv fieldView) fieldView { fv.Rows = n; return fv },
		"blank":     func(b string, fv fieldView) fieldView { fv.Blank = b; return fv },
		"options":   func(o []option, fv fieldView) fieldView { fv.Options = o; return fv },
		"value":     func(v string, fv fieldView) fieldView { fv.Value = v; return fv },
		"repFields": func(f *form, roles []option) repFields { return repFields{Form: f, Roles: roles} },
	}
}

// repFields is what the representative-fields template gets.
type repFields struct {
	Form  *form
	Roles []option
}
