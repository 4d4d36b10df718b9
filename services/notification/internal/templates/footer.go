package templates

import (
	"bytes"
	"fmt"
)

// footer renders the footer of an email of category cat: why it came, and
// the links the sender put in data (KeyPreferencesURL, KeyUnsubscribeURL).
func (r *Renderer) footer(cat Category, lang string, data map[string]any) (text, html string, _ error) {
	d := map[string]any{
		"CategoryTitle": DescribeCategory(cat, lang).Title,
		"Optional":      !cat.Essential(),
	}
	keys := []string{KeyPreferencesURL}
	if !cat.Essential() {
		keys = append(keys, KeyUnsubscribeURL) // transactional email cannot be unsubscribed from
	}
	for _, k := range keys {
		if v, ok := data[k].(string); ok && v != "" {
			d[k] = v
		}
	}
	filled, err := r.fill(footerTemplate, lang, d)
	if err != nil {
		return "", "", err
	}
	d["T"] = filled
	var t, h bytes.Buffer
	if err := r.text.ExecuteTemplate(&t, "footer.txt", d); err != nil {
		return "", "", fmt.Errorf("render footer text: %w", err)
	}
	if err := r.html.ExecuteTemplate(&h, "footer.html", d); err != nil {
		return "", "", fmt.Errorf("render footer html: %w", err)
	}
	return t.String(), h.String(), nil
}
