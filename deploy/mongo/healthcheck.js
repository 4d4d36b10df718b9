// The mongo container's health check (mongosh --file): authenticate as root
// with the password from the environment (not the command line, where `ps`
// shows it), initiate the one-member replica set on the first start, then be
// healthy only once this member is the writable primary: services connect
// with replicaSet=rs0 and need a primary to write.
const admin = db.getSiblingDB('admin');
admin.auth(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD);
try {
  rs.status();
} catch (e) {
  if (e.codeName !== 'NotYetInitialized') {
    throw e;
  }
  // The member's name is what clients are told to connect to: the compose
  // service name, reachable from every container.
  rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'mongo:27017' }] });
}
if (!admin.runCommand({ hello: 1 }).isWritablePrimary) {
  quit(1);
}
