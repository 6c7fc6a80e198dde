// Prints the folder holding the headers of the running Node, for native modules built by node-gyp.
// The npm `node` package keeps them in its platform package (node-<platform>-<arch>), not beside bin/.
const path = require('path');
const fs = require('fs');
const root = path.resolve(process.execPath, '../..');
const candidates = [root, path.join(root, 'node_modules', `node-${process.platform}-${process.arch}`)];
const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'include', 'node', 'node_version.h')));
if (!found) {
  console.error(`No Node headers found for ${process.execPath} (looked in ${candidates.join(', ')})`);
  process.exit(1);
}
process.stdout.write(found);
