// A stand-in for the mongosh globals the charm's scripts use (db, rs, print, sleep), over
// an in-memory server described by the FAKE_SERVER environment variable (JSON). The
// script under test runs after this file; the calls it made go to stderr, after "CALLS ",
// and the users it left, after "USERS ".
const server = JSON.parse(process.env.FAKE_SERVER);
server.users = server.users ?? [];
server.members = server.members ?? [];
const calls = [];

function helloDocument() {
  if (!server.setName) return {isWritablePrimary: false, secondary: false};
  return {
    setName: server.setName,
    me: server.me,
    hosts: server.members,
    isWritablePrimary: server.primary === true,
  };
}

function requireAuth() {
  if (!server.authenticated) throw new Error("command requires authentication");
}

const adminDatabase = {
  auth(user, pwd) {
    calls.push(["auth", user]);
    if (!server.users.some((u) => u.user === user && u.pwd === pwd)) {
      throw new Error("Authentication failed.");
    }
    server.authenticated = true;
    return {ok: 1};
  },
  createUser(document) {
    if (server.users.length > 0) requireAuth();  // the localhost exception: first user only
    calls.push(["createUser", document.user, document.roles]);
    server.users.push({user: document.user, pwd: document.pwd, roles: document.roles});
  },
  updateUser(name, update, writeConcern) {
    requireAuth();
    calls.push(["updateUser", name, update.roles, writeConcern ?? null]);
    const user = server.users.find((u) => u.user === name);
    if (!user) throw new Error(`UserNotFound: Could not find user "${name}" for db "admin"`);
    Object.assign(user, update);
  },
  getUser(name) {
    requireAuth();
    return server.users.find((u) => u.user === name) ?? null;
  },
  dropUser(name) {
    requireAuth();
    calls.push(["dropUser", name]);
    server.users = server.users.filter((u) => u.user !== name);
  },
  runCommand(command) {
    if (command.hello) return helloDocument();
    if (command.usersInfo) {
      requireAuth();
      return {users: server.users.map((u) => ({user: u.user, db: "admin"}))};
    }
    throw new Error(`unexpected command ${JSON.stringify(command)}`);
  },
};

globalThis.db = {
  hello: helloDocument,
  version: () => "7.0.14",
  getSiblingDB: (name) => {
    if (name !== "admin") throw new Error(`unexpected database ${name}`);
    return adminDatabase;
  },
};

globalThis.rs = {
  initiate(config) {
    calls.push(["initiate", config]);
    server.setName = config._id;
    server.members = config.members.map((member) => member.host);
    server.me = config.members[0].host;
    server.primary = server.electable !== false;
  },
  conf() {
    requireAuth();
    return {members: server.members.map((host, index) => ({_id: index, host: host}))};
  },
  add(member) {
    requireAuth();
    calls.push(["add", member.host]);
    server.members.push(member.host);
  },
  remove(host) {
    requireAuth();
    calls.push(["remove", host]);
    server.members = server.members.filter((member) => member !== host);
  },
  status() {
    requireAuth();
    return {
      set: server.setName,
      members: server.members.map((host) => ({
        name: host,
        stateStr: host === server.me ? "PRIMARY" : "SECONDARY",
        health: 1,
      })),
    };
  },
};

globalThis.print = (text) => console.log(text);
globalThis.sleep = () => calls.push(["sleep"]);
process.on("exit", () => {
  console.error(`CALLS ${JSON.stringify(calls)}`);
  console.error(`USERS ${JSON.stringify(server.users)}`);
});
