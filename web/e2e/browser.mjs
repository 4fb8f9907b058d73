// The headless Chromium the end-to-end scripts drive: Debian's /usr/bin/chromium (or
// $CHROMIUM) through playwright-core, without the network chatter of a fresh profile.
import { chromium } from 'playwright-core';

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
