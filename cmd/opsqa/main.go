// Command opsqa validates operations documents, computes service-quality
// KPIs and publishes the knowledge site.
package main

import (
	"os"

	"github.com/opsqa/opsqa/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
