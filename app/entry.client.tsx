import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { holdDictionary, isLocale, type MessagesFile } from "~/i18n";

/**
 * The reader's dictionary, from the file the page names (preloaded by its <head>, kept by the browser and the
 * service worker). Undefined when it cannot be had: offline with no copy, or a page without its root data.
 */
async function readerDictionary(): Promise<MessagesFile | undefined> {
  const href = document.querySelector<HTMLLinkElement>("link[data-messages]")?.href;
  if (!href) return undefined;
  try {
    // the same mode and credentials as the preload, so the browser hands over what it already fetched
    const response = await fetch(href, { mode: "cors", credentials: "same-origin" });
    if (!response.ok) return undefined;
    const file = (await response.json()) as MessagesFile;
    return isLocale(file.locale) ? file : undefined;
  } catch {
    return undefined;
  }
}

// Without its words the page stays as the server rendered it, in the reader's language, and works as it does
// without JavaScript: links and forms go to the server. Hydrating with no dictionary would replace the text
// with keys.
void readerDictionary().then((file) => {
  if (!file) return;
  holdDictionary(file.locale, file.messages);
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
