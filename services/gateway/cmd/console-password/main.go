// Command console-password prints the argon2id hash of a password read from
// standard input (one line), for the password_hash of an account in the
// console's accounts file (CONSOLE_ACCOUNTS_FILE):
//
//	go run ./services/gateway/cmd/console-password < password.txt
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
)

func main() {
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(os.Stderr, "console-password: read the password from standard input:", err)
		os.Exit(1)
	}
	h, err := accounts.Hash(strings.TrimRight(line, "\r\n"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "console-password:", err)
		os.Exit(1)
	}
	fmt.Println(h)
}
