// Starts `fixorder server` for Python files and notebooks (see README, Editor).
const { LanguageClient } = require("vscode-languageclient/node");

let client;

exports.activate = () => {
  client = new LanguageClient(
    "fixorder",
    "fixorder",
    { command: "fixorder", args: ["server"] },
    {
      documentSelector: [
        { scheme: "file", language: "python" },
        { scheme: "file", pattern: "**/*.ipynb" },
      ],
    },
  );
  return client.start();
};

exports.deactivate = () => client && client.stop();
