#!/usr/bin/env bash
# Refreshes vendor/ from npm: installs exactly what package-lock.json pins (d3, d3-flame-graph) and copies the dist
# files the page loads, with their licenses. The copies are committed, so building the collector needs neither npm
# nor the network; run this after changing a version in package.json (then `npm install` to update the lock first).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p vendor
cp node_modules/d3/dist/d3.min.js vendor/d3.min.js
cp node_modules/d3/LICENSE vendor/d3.LICENSE
cp node_modules/d3-flame-graph/dist/d3-flamegraph.umd.min.js vendor/d3-flamegraph.min.js
cp node_modules/d3-flame-graph/dist/d3-flamegraph.css vendor/d3-flamegraph.css
cp node_modules/d3-flame-graph/LICENSE vendor/d3-flame-graph.LICENSE
echo "vendor.sh: d3 $(node -p 'require("./node_modules/d3/package.json").version'), d3-flame-graph $(node -p 'require("./node_modules/d3-flame-graph/package.json").version') copied into vendor/"
