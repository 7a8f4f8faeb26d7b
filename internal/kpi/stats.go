package kpi

import (
	"math"
	"slices"
)

// SmallSampleN is the group size below which figures are flagged as a
// small sample.
const SmallSampleN = 5

// Percentile returns the p-th quantile (0 ≤ p ≤ 1) of sorted values by
// linear interpolation between closest ranks: numpy's default, Hyndman and
// Fan's type 7. The median of an even count is the mean of the two middle
// values, not the lower one. It panics on an empty slice.
func Percentile(sorted []int64, p float64) float64 {
	if len(sorted) == 1 {
		return float64(sorted[0])
	}
	h := float64(len(sorted)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return float64(sorted[len(sorted)-1])
	}
	return float64(sorted[lo]) + (h-float64(lo))*float64(sorted[lo+1]-sorted[lo])
}

// Describe computes Stats over durations in seconds. It sorts values in
// place. Fractions are rounded half away from zero to whole seconds.
func Describe(values []int64) Stats {
	s := Stats{N: len(values), SmallSample: len(values) < SmallSampleN}
	if len(values) == 0 {
		return s
	}
	slices.Sort(values)
	var sum float64
	for _, v := range values {
		sum += float64(v)
	}
	s.Mean = seconds(sum / float64(len(values)))
	s.Median = seconds(Percentile(values, 0.5))
	s.P90 = seconds(Percentile(values, 0.9))
	lo, hi := values[0], values[len(values)-1]
	s.Min, s.Max = &lo, &hi
	return s
}

func seconds(f float64) *int64 {
	v := int64(math.Round(f))
	return &v
}

// ratio returns num/den rounded to four decimals, or nil when den is 0.
func ratio(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	r := math.Round(float64(num)/float64(den)*10000) / 10000
	return &r
}

func boolPtr(b bool) *bool { return &b }
