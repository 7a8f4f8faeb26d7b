package lint

import (
	"path"
	"strings"

	"github.com/opsqa/opsqa/internal/diag"
	"github.com/opsqa/opsqa/internal/document"
)

var uniqueIDRule = Rule{
	ID:      "unique-id",
	Summary: "ids are unique and equal to the file name",
	Doc: `Every document's id is unique across the repository and equals its file
name without .md. References (curriculum modules, quiz ids, postmortem
runbooks) and site URLs use the id, so two documents with one id make both
ambiguous, and an id that differs from the file name gives two names to one
page. opsqa finds a document by id through its file name, so two files of
one name in different folders share an id, and a reference to an id
whose file is named otherwise finds nothing until the names agree. Rename
the file or change the id.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		id := d.ID()
		if id == "" || d.Kind == "" {
			return
		}
		_, v := d.Lookup("id")
		if others := p.Repo.ByID(id); len(others) > 1 {
			var paths []string
			for _, o := range others {
				if o != d {
					paths = append(paths, o.Path)
				}
			}
			p.Report(d.NodePos(v), "give each document its own id", "id %q is also used by %s", id, strings.Join(paths, ", "))
		}
		if base := strings.TrimSuffix(path.Base(d.Path), path.Ext(d.Path)); base != id {
			p.Report(d.NodePos(v), "rename the file to "+id+".md, or set id: "+base,
				"id %q differs from the file name %q", id, base)
		}
	},
}

var knownOwnerRule = Rule{
	ID:      "known-owner",
	Summary: "owners, services and roles named in front matter exist in opsqa.yaml",
	Doc: `A document's owner must be a team of opsqa.yaml, a runbook's or postmortem's
service a service there, and a curriculum's audience roles known roles: the
scorecards, the review reminders and the KPIs per team rely on these names.
Add the team, service or role to opsqa.yaml, or fix the name.`,
	Severity: diag.Error,
	CheckDocument: func(p *Pass, d *document.Document) {
		cfg := p.Config
		if d.String("owner") != "" && len(cfg.Teams) == 0 {
			p.CannotApply(d, "opsqa.yaml lists no teams to check owners against")
		}
		if d.String("service") != "" && len(cfg.Services) == 0 {
			p.CannotApply(d, "opsqa.yaml lists no services to check services against")
		}
		if owner := d.String("owner"); owner != "" && len(cfg.Teams) > 0 {
			if _, ok := cfg.Team(owner); !ok {
				_, v := d.Lookup("owner")
				p.Report(d.NodePos(v), "use one of: "+strings.Join(teamIDs(p), ", "), "owner %q is not a team of opsqa.yaml%s", owner, diag.DidYouMean(owner, teamIDs(p)))
			}
		}
		if svc := d.String("service"); svc != "" && len(cfg.Services) > 0 {
			if _, ok := cfg.Service(svc); !ok {
				var ids []string
				for _, s := range cfg.Services {
					ids = append(ids, s.ID)
				}
				_, v := d.Lookup("service")
				p.Report(d.NodePos(v), "add the service to opsqa.yaml, or use one of: "+strings.Join(ids, ", "),
					"service %q is not a service of opsqa.yaml%s", svc, diag.DidYouMean(svc, ids))
			}
		}
		if d.Kind == "curriculum" && len(cfg.Roles) > 0 {
			_, list := d.Lookup("audience")
			for i, role := range d.Strings("audience") {
				if _, ok := cfg.Role(role); !ok && list != nil && i < len(list.Content) {
					p.Report(d.NodePos(list.Content[i]), "add the role to opsqa.yaml roles, or fix the id", "audience role %q is not a role of opsqa.yaml", role)
				}
			}
		}
	},
}

func teamIDs(p *Pass) []string {
	var ids []string
	for _, t := range p.Config.Teams {
		ids = append(ids, t.ID)
	}
	return ids
}
