/* The browser app of browser-app.test.ts: the typed client, bundled for the page as an app would be. */
import { createClient, isApiError } from "@deltacrown/client";

Object.assign(globalThis, { createClient, isApiError });
