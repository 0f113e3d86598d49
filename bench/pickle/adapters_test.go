package pickle_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strconv"

	ogorek "github.com/kisielk/og-rek"
	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"
	"go.opentelemetry.io/collector/pdata/pcommon"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/utf8text"
)

// The libraries decode to Go values; these adapters make the same pcommon.Map
// ours makes, with the same limits (depth, a budget of converted values), so
// that the benchmark compares decode + conversion on equal terms.

var errLimit = errors.New("conversion limit")

type conv struct{ budget int }

func (c *conv) spend() error {
	c.budget--
	if c.budget < 0 {
		return errLimit
	}
	return nil
}

// ---- og-rek ----

// decodeOgrek decodes one frame with og-rek. A new Decoder per frame: og-rek
// has no Reset, and its memo and stack must not carry over.
func decodeOgrek(frame []byte, dst pcommon.Map) error {
	d := ogorek.NewDecoderWithConfig(bytes.NewReader(frame), &ogorek.DecoderConfig{StrictUnicode: true})
	v, err := d.Decode()
	if err != nil {
		return err
	}
	m, ok := v.(map[any]any)
	if !ok {
		return errors.New("not a dict")
	}
	c := conv{budget: len(frame) + 1024}
	dst.EnsureCapacity(len(m))
	for k, x := range m {
		if err := c.ogrek(x, dst.PutEmpty(ogrekKey(k)), 1); err != nil {
			return err
		}
	}
	return nil
}

func ogrekKey(k any) string {
	switch k := k.(type) {
	case string:
		return utf8text.Repair(k)
	case int64:
		return strconv.FormatInt(k, 10)
	}
	return fmt.Sprint(k)
}

func (c *conv) ogrek(x any, v pcommon.Value, depth int) error {
	if err := c.spend(); err != nil || depth > 64 {
		return errLimit
	}
	switch x := x.(type) {
	case ogorek.None:
	case bool:
		v.SetBool(x)
	case int64:
		v.SetInt(x)
	case *big.Int:
		// og-rek makes every LONG a *big.Int, small or not.
		if x.IsInt64() {
			v.SetInt(x.Int64())
		} else {
			v.SetStr(x.String())
		}
	case float64:
		v.SetDouble(x)
	case string:
		v.SetStr(utf8text.Repair(x))
	case ogorek.ByteString:
		v.SetStr(utf8text.Repair(string(x)))
	case ogorek.Bytes:
		v.SetEmptyBytes().FromRaw([]byte(x))
	case ogorek.Tuple:
		s := v.SetEmptySlice()
		for _, it := range x {
			if err := c.ogrek(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case []any:
		s := v.SetEmptySlice()
		for _, it := range x {
			if err := c.ogrek(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case map[any]any:
		m := v.SetEmptyMap()
		for k, it := range x {
			if err := c.ogrek(it, m.PutEmpty(ogrekKey(k)), depth+1); err != nil {
				return err
			}
		}
	case ogorek.Call:
		v.SetStr("<" + x.Callable.Module + "." + x.Callable.Name + " object>")
	case ogorek.Class:
		v.SetStr("<" + x.Module + "." + x.Name + " object>")
	default:
		v.SetStr(fmt.Sprintf("<%T>", x))
	}
	return nil
}

// ---- gopickle ----

// placeholderClass is what a restricted FindClass returns for every class:
// REDUCE and NEWOBJ make a placeholder instead of anything real.
type placeholderClass struct{ name string }

type placeholderObject struct{ name string }

func (p *placeholderClass) Call(...any) (any, error)  { return &placeholderObject{p.name}, nil }
func (p *placeholderClass) PyNew(...any) (any, error) { return &placeholderObject{p.name}, nil }
func (p *placeholderObject) PySetState(any) error     { return nil }

func decodeGopickle(frame []byte, dst pcommon.Map) error {
	u := pickle.NewUnpickler(bytes.NewReader(frame))
	u.FindClass = func(module, name string) (any, error) {
		return &placeholderClass{module + "." + name}, nil
	}
	v, err := u.Load()
	if err != nil {
		return err
	}
	d, ok := v.(*types.Dict)
	if !ok {
		return errors.New("not a dict")
	}
	c := conv{budget: len(frame) + 1024}
	dst.EnsureCapacity(len(*d))
	for _, e := range *d {
		if err := c.gopickle(e.Value, dst.PutEmpty(ogrekKey(e.Key)), 1); err != nil {
			return err
		}
	}
	return nil
}

func (c *conv) gopickle(x any, v pcommon.Value, depth int) error {
	if err := c.spend(); err != nil || depth > 64 {
		return errLimit
	}
	switch x := x.(type) {
	case nil:
	case bool:
		v.SetBool(x)
	case int:
		v.SetInt(int64(x))
	case *big.Int:
		if x.IsInt64() {
			v.SetInt(x.Int64())
		} else {
			v.SetStr(x.String())
		}
	case float64:
		v.SetDouble(x)
	case string:
		v.SetStr(utf8text.Repair(x))
	case []byte:
		v.SetEmptyBytes().FromRaw(x)
	case *types.ByteArray:
		v.SetEmptyBytes().FromRaw(*x)
	case *types.Tuple:
		s := v.SetEmptySlice()
		for _, it := range *x {
			if err := c.gopickle(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case *types.List:
		s := v.SetEmptySlice()
		for _, it := range *x {
			if err := c.gopickle(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case *types.Dict:
		m := v.SetEmptyMap()
		for _, e := range *x {
			if err := c.gopickle(e.Value, m.PutEmpty(ogrekKey(e.Key)), depth+1); err != nil {
				return err
			}
		}
	case *types.Set:
		s := v.SetEmptySlice() // a Go map: Python's order is lost
		for it := range *x {
			if err := c.gopickle(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case *types.FrozenSet:
		s := v.SetEmptySlice()
		for it := range *x {
			if err := c.gopickle(it, s.AppendEmpty(), depth+1); err != nil {
				return err
			}
		}
	case *placeholderObject:
		v.SetStr("<" + x.name + " object>")
	case *placeholderClass:
		v.SetStr("<" + x.name + " object>")
	default:
		v.SetStr(fmt.Sprintf("<%T>", x))
	}
	return nil
}
