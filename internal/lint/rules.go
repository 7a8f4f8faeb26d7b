package lint

// Rules returns every rule, in the order they are documented. Adding a
// rule means writing its file and listing it here; nothing registers
// itself.
func Rules() []*Rule {
	return []*Rule{
		&encodingRule,
		&limitsRule,
		&frontMatterRule,
		&yamlSyntaxRule,
		&unreadableRule,
		&fileTypeRule,
		&outsideLinkRule,
		&schemaRule,
		&configRule,
		&uniqueIDRule,
		&knownOwnerRule,
		&codeownersRule,
		&requiredSectionsRule,
		&quizRule,
		&linksRule,
		&trainingReferencesRule,
		&raciRule,
		&raciUnusedRoleRule,
		&postmortemMilestonesRule,
		&alertRunbooksRule,
		&shellSyntaxRule,
		&codeFenceRule,
		&reviewOverdueRule,
		&reviewDateRule,
		&processVersionRule,
		&placeholderRule,
		&shortcodesRule,
		&suppressionRule,
	}
}

// RuleByID returns the rule with the given ID, or nil.
func RuleByID(id string) *Rule {
	for _, r := range Rules() {
		if r.ID == id {
			return r
		}
	}
	return nil
}
