package service

import (
	"github.com/cc4dr/coalition/services/gateway/internal/console/accounts"
)

// ConsoleAccount is one local account of the coordinator console, as the
// dev launcher seeds them (CONSOLE_ACCOUNTS_FILE).
type ConsoleAccount struct {
	Username string
	Name     string
	// Role is "coordinator" or "representative".
	Role     string
	Password string
	// Subject is who a representative is for the services (their
	// representative id or email address; default: the username).
	Subject string
}

// WriteConsoleAccounts writes a console accounts file at path with each
// password hashed (argon2id), readable only by its owner.
func WriteConsoleAccounts(path string, list []ConsoleAccount) error {
	out := make([]accounts.Account, 0, len(list))
	for _, a := range list {
		h, err := accounts.Hash(a.Password)
		if err != nil {
			return err
		}
		out = append(out, accounts.Account{Username: a.Username, Name: a.Name, Role: accounts.Role(a.Role), Subject: a.Subject, PasswordHash: h})
	}
	return accounts.Write(path, out)
}
