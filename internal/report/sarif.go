package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"

	"github.com/opsqa/opsqa/internal/diag"
)

// SARIF 2.1.0, as much as GitHub code scanning reads: rule metadata with
// help text, results with regions, and partial fingerprints so an alert
// keeps its identity when lines move.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
}

// sarifInvocation carries the checks that could not apply, as notes on
// the run rather than results: they are no finding in any file.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level      string              `json:"level"`
	Message    sarifText           `json:"message"`
	Descriptor *sarifDescriptorRef `json:"descriptor,omitempty"`
}

type sarifDescriptorRef struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string       `json:"id"`
	Name                 string       `json:"name"`
	ShortDescription     sarifText    `json:"shortDescription"`
	FullDescription      sarifText    `json:"fullDescription"`
	Help                 sarifText    `json:"help"`
	DefaultConfiguration sarifDefault `json:"defaultConfiguration"`
}

type sarifDefault struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// SARIF prints findings as a SARIF 2.1.0 log for code scanning.
func SARIF(w io.Writer, f *Findings, version string) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "opsqa",
			InformationURI: "https://github.com/opsqa/opsqa",
			Version:        version,
			Rules:          []sarifRule{},
		}},
		ColumnKind: "unicodeCodePoints",
		Results:    []sarifResult{},
	}
	index := map[string]int{}
	for _, r := range f.Rules {
		index[r.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 r.ID,
			ShortDescription:     sarifText{r.Summary},
			FullDescription:      sarifText{r.Doc},
			Help:                 sarifText{r.Doc},
			DefaultConfiguration: sarifDefault{sarifLevel(r.Severity)},
		})
	}
	if len(f.Unchecked) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: true}
		for _, u := range f.Unchecked {
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level: "note", Message: sarifText{"not checked: " + u.String()}, Descriptor: &sarifDescriptorRef{ID: u.Rule}})
		}
		run.Invocations = []sarifInvocation{inv}
	}
	seen := map[string]int{}
	for _, d := range f.Diagnostics {
		i, ok := index[d.Rule]
		if !ok {
			i = len(run.Tool.Driver.Rules)
			index[d.Rule] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: d.Rule, Name: d.Rule,
				ShortDescription: sarifText{d.Rule}, FullDescription: sarifText{d.Rule}, Help: sarifText{d.Rule},
				DefaultConfiguration: sarifDefault{sarifLevel(d.Severity)}})
		}
		msg := d.Message
		if d.Fix != "" {
			msg += " Fix: " + d.Fix
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: d.Pos.File, URIBaseID: "%SRCROOT%"}}}
		if d.Pos.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: d.Pos.Line, StartColumn: d.Pos.Column}
		}
		// The fingerprint leaves the line out, so that editing above a
		// finding does not make it a new alert; the occurrence count keeps
		// identical findings in one file apart.
		key := d.Rule + "\x00" + d.Pos.File + "\x00" + d.Message
		seen[key]++
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", key, seen[key])))
		run.Results = append(run.Results, sarifResult{
			RuleID:              d.Rule,
			RuleIndex:           i,
			Level:               sarifLevel(d.Severity),
			Message:             sarifText{msg},
			Locations:           []sarifLocation{loc},
			PartialFingerprints: map[string]string{"opsqaFindingHash/v1": hex.EncodeToString(sum[:16])},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}
