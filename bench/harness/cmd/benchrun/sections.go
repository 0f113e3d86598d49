package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// sections is the report of the modes that print one Markdown table after
// another (scaling, curves): a header, then each table as it is measured,
// on stdout and into -md.
type sections struct {
	out    strings.Builder
	failed bool // a table has a failed records check (✗)
}

// add prints one measured table and keeps it for the Markdown file.
func (s *sections) add(md string) {
	fmt.Println()
	fmt.Print(md)
	s.out.WriteString("\n" + md)
	s.failed = s.failed || strings.Contains(md, "✗")
}

// finish writes the Markdown to path (-md; none when empty) and returns
// the process exit code: 1 when a records check failed.
func (s *sections) finish(path string) int {
	if err := writeMarkdown(path, func(w io.Writer) { _, _ = io.WriteString(w, s.out.String()) }); err != nil {
		return fail(err)
	}
	if s.failed {
		return 1
	}
	return 0
}

// header prints the report's header on stderr, where the runs' progress
// goes, and keeps it.
func (s *sections) header(text string) {
	s.out.WriteString(text)
	fmt.Fprint(os.Stderr, text)
}
