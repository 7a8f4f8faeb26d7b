package githubsync

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
)

// Redacted stands in for the token wherever a server sent it back.
const Redacted = "[REDACTED]"

// secretsOf is the token as it is and as URLs escape it, longest first,
// so that no form leaves part of another behind.
func secretsOf(token string) []string {
	if token == "" {
		return nil
	}
	var s []string
	for _, v := range []string{token, url.QueryEscape(token), url.PathEscape(token)} {
		if !slices.Contains(s, v) {
			s = append(s, v)
		}
	}
	slices.SortFunc(s, func(a, b string) int { return len(b) - len(a) })
	return s
}

func scrubSecrets(s string, secrets []string) string {
	for _, v := range secrets {
		s = strings.ReplaceAll(s, v, Redacted)
	}
	return s
}

// redactedError is an error whose message never holds the token: an
// error may quote a URL, a header or a message the server sent, and a
// hostile server can put the token in any of them.
type redactedError struct {
	err     error
	secrets []string
}

func (e *redactedError) Error() string { return scrubSecrets(e.err.Error(), e.secrets) }
func (e *redactedError) Unwrap() error { return e.err }

func redactError(err error, secrets []string) error {
	if err == nil || len(secrets) == 0 {
		return err
	}
	if _, ok := err.(*redactedError); ok {
		return err
	}
	return &redactedError{err: err, secrets: secrets}
}

// scrubValue replaces the token in every string reachable from v, a
// pointer: the snapshot is published, and a server may have put the token
// in an issue's title, body, labels or ETag.
func scrubValue(v any, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	scrubReflect(reflect.ValueOf(v), secrets)
}

func scrubReflect(v reflect.Value, secrets []string) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			scrubReflect(v.Elem(), secrets)
		}
	case reflect.String:
		if s := v.String(); v.CanSet() && containsAny(s, secrets) {
			v.SetString(scrubSecrets(s, secrets))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				scrubReflect(v.Field(i), secrets)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			scrubReflect(v.Index(i), secrets)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		iter := v.MapRange()
		type kv struct{ k, v reflect.Value }
		var changed []kv
		for iter.Next() {
			k, val := iter.Key(), iter.Value()
			nk := reflect.New(k.Type()).Elem()
			nk.Set(k)
			nv := reflect.New(val.Type()).Elem()
			nv.Set(val)
			scrubReflect(nk, secrets)
			scrubReflect(nv, secrets)
			if !nk.Equal(k) || !reflect.DeepEqual(nv.Interface(), val.Interface()) {
				changed = append(changed, kv{k, reflect.Value{}}, kv{nk, nv})
			}
		}
		for _, c := range changed {
			if !c.v.IsValid() {
				v.SetMapIndex(c.k, reflect.Value{})
			}
		}
		for _, c := range changed {
			if c.v.IsValid() {
				v.SetMapIndex(c.k, c.v)
			}
		}
	}
}

func containsAny(s string, secrets []string) bool {
	for _, v := range secrets {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}
