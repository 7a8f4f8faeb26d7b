// Package report prints findings and metrics, one printer per format
// (text, json, github, sarif, markdown), all over the same data. Printers
// only write to the io.Writer they are given.
package report
