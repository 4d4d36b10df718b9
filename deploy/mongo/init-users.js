// Runs once, when the mongo container starts on an empty data volume
// (/docker-entrypoint-initdb.d), as the root user. Each service gets its own
// user that may read and write its own database and nothing else (DESIGN.md,
// Privacy and security). readWrite includes creating the indexes a service
// ensures at start.
//
// The passwords come from the container's environment, so they live in .env
// and nowhere else. Changing one later: see README, Operations.
const services = ['membership', 'petition', 'events', 'notification'];
for (const name of services) {
  const variable = `${name.toUpperCase()}_MONGO_PASSWORD`;
  const pwd = process.env[variable];
  if (!pwd) {
    throw new Error(`${variable} is not set`);
  }
  db.getSiblingDB(name).createUser({ user: name, pwd, roles: [{ role: 'readWrite', db: name }] });
  print(`created user ${name} on database ${name}`);
}
