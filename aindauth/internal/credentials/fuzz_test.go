package credentials

import (
	"errors"
	"testing"
)

func FuzzToken(f *testing.F) {
	for _, seed := range []string{"Bearer abc", "Basic dTp0", "Basic %%%", "basic ", "Basic dTp0Og==", "", "Bearer"} {
		f.Add(seed)
	}
	r := NewReader("Authorization", "Bearer", true)
	f.Fuzz(func(t *testing.T, value string) {
		token, err := r.Token(map[string][]string{"Authorization": {value}})
		switch {
		case err == nil:
			if len(token) > len(value) {
				t.Fatalf("a token longer than the header: %d > %d", len(token), len(value))
			}
		case !errors.Is(err, ErrNoCredentials) && !errors.Is(err, ErrWrongScheme) && !errors.Is(err, ErrMalformedBasic):
			t.Fatalf("unknown error %v", err)
		}
	})
}
