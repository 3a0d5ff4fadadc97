// Photos for a form, sized for a cadre's phone network: a 4 MB camera photo is redrawn in the browser at
// no more than 1,600 px on its long side and re-encoded to a few hundred KB before the form posts it, so
// the upload takes seconds at 750 kbps instead of most of a minute. The chosen photos live in one file
// input (put back with DataTransfer), so the plain form post sends the small files whoever submits it.
// Without JavaScript the two inputs are ordinary file inputs of the same name and post as they are; the
// server checks every file's bytes either way.
import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useEffect, useRef, useState } from "react";
import { useT } from "~/i18n";

const LONG_SIDE = 1600;
/** Above this the next, lower quality is tried: photos land at about 200–400 KB. */
const TARGET_BYTES = 400 * 1024;
const QUALITIES = [0.82, 0.72, 0.62, 0.52];

type Pick = {
  key: number;
  name: string;
  before: number;
  file: File;
  /** a thumbnail of the small file; null while it is being made, or when the file is not an image we can read */
  url: string | null;
  state: "working" | "done" | "kept";
};

export function PhotoInput({ meta, max, accept }: { meta: FieldMetadata<any, any, any>; max: number; accept: string }) {
  const t = useT();
  const gallery = useRef<HTMLInputElement>(null);
  const camera = useRef<HTMLInputElement>(null);
  const picks = useRef<Pick[]>([]);
  const nextKey = useRef(0);
  const queue = useRef(Promise.resolve());
  const [shown, setShown] = useState<Pick[]>([]);
  const [left, setLeft] = useState(0);
  const [enhanced, setEnhanced] = useState(false);
  const props = getInputProps(meta, { type: "file" });

  useEffect(() => {
    if (!canShrink()) return;
    setEnhanced(true);
    // photos chosen while the page's script was still arriving join the list rather than being dropped
    const waiting = [camera.current, gallery.current].flatMap((input) => Array.from(input?.files ?? []));
    if (camera.current) camera.current.value = "";
    if (waiting.length && !picks.current.length) add(waiting);
    const list = picks;
    return () => list.current.forEach((p) => p.url && URL.revokeObjectURL(p.url));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the page comes alive
  }, []);

  /** The gallery input holds exactly the list, so whatever posts the form sends these files. */
  function sync() {
    const input = gallery.current;
    if (!input) return;
    const transfer = new DataTransfer();
    picks.current.forEach((p) => transfer.items.add(p.file));
    input.files = transfer.files;
    setShown([...picks.current]);
    // the form's own validation listens for input events; a script setting files sends none
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function choose(input: HTMLInputElement) {
    const chosen = Array.from(input.files ?? []);
    // the camera's photo moves into the list; the gallery input is refilled from it
    if (input !== gallery.current) input.value = "";
    add(chosen);
  }

  function add(chosen: File[]) {
    const room = Math.max(0, max - picks.current.length);
    setLeft(Math.max(0, chosen.length - room));
    const added = chosen.slice(0, room).map<Pick>((file) => ({
      key: nextKey.current++,
      name: file.name,
      before: file.size,
      file,
      url: null,
      state: "working",
    }));
    picks.current = [...picks.current, ...added];
    // also after a cancelled picker, which on some phones empties the input
    sync();
    // one at a time, across choices too: a decoded 12-megapixel photo is 48 MB, and a cheap phone has
    // little to spare
    queue.current = queue.current.then(async () => {
      for (const pick of added) {
        const small = await shrink(pick.file).catch(() => null);
        if (!picks.current.includes(pick)) continue;
        const done: Pick = small
          ? { ...pick, file: small, url: URL.createObjectURL(small), state: "done" }
          : { ...pick, state: "kept" };
        picks.current = picks.current.map((p) => (p === pick ? done : p));
        sync();
      }
    });
  }

  function remove(pick: Pick) {
    if (pick.url) URL.revokeObjectURL(pick.url);
    picks.current = picks.current.filter((p) => p.key !== pick.key);
    setLeft(0);
    sync();
  }

  const full = enhanced && shown.length >= max;
  return (
    <div className={enhanced ? "photo-input enhanced" : "photo-input"}>
      <div className="photo-buttons">
        <label className="photo-button" hidden={full}>
          <span>{t("photos.camera")}</span>
          <input
            type="file"
            name={props.name}
            form={props.form}
            aria-describedby={props["aria-describedby"]}
            accept={accept}
            capture="environment"
            ref={camera}
            onChange={enhanced ? (e) => choose(e.currentTarget) : undefined}
          />
        </label>
        <label className="photo-button" hidden={full}>
          <span>{t("photos.gallery")}</span>
          <input
            {...props}
            ref={gallery}
            accept={accept}
            multiple
            onChange={enhanced ? (e) => choose(e.currentTarget) : undefined}
          />
        </label>
      </div>
      {enhanced ? (
        <>
          {full ? <p className="muted small">{t("photos.full", { max })}</p> : null}
          {left ? (
            <p className="notice small" role="status">
              {t("photos.leftOut", { max, count: left })}
            </p>
          ) : null}
          {shown.length ? (
            <ul className="photo-picks" aria-live="polite">
              {shown.map((pick) => (
                <li key={pick.key} data-testid="photo-pick">
                  {pick.url ? <img src={pick.url} alt="" width={64} height={64} /> : <span className="photo-blank" />}
                  <span className="photo-facts">
                    <span className="photo-name">{pick.name}</span>
                    <span className="muted small" data-testid="photo-size">
                      {pick.state === "working"
                        ? t("photos.working")
                        : pick.state === "done"
                          ? `${bytes(pick.before)} → ${bytes(pick.file.size)}`
                          : bytes(pick.before)}
                    </span>
                  </span>
                  <button
                    type="button"
                    className="button secondary"
                    aria-label={t("photos.removeNamed", { name: pick.name })}
                    onClick={() => remove(pick)}
                  >
                    {t("photos.remove")}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

/** Old browsers without these keep the plain inputs: the photos still post, only larger. */
function canShrink() {
  try {
    return typeof createImageBitmap === "function" && new DataTransfer().files instanceof FileList;
  } catch {
    return false;
  }
}

let webp: boolean | undefined;

/**
 * The photo redrawn upright (the EXIF orientation applied) at no more than LONG_SIDE px, as WebP where the
 * browser writes it, else JPEG. The file itself when it is already small, when the result would be no
 * smaller, or null when the browser cannot read it as an image (the server then says what is wrong with it).
 */
async function shrink(file: File): Promise<File | null> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  } catch {
    return null;
  }
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  if (scale === 1 && file.size <= TARGET_BYTES) {
    bitmap.close();
    return file;
  }
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  const context = canvas.getContext("2d");
  if (!context) return null;
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  let blob: Blob | null = null;
  for (const quality of QUALITIES) {
    blob = await encode(canvas, quality);
    if (!blob || blob.size <= TARGET_BYTES) break;
  }
  // give the pixels back now rather than when the canvas is collected
  canvas.width = canvas.height = 0;
  if (!blob || blob.size >= file.size) return file;
  const name = `${file.name.replace(/\.[^.]*$/, "") || "photo"}.${blob.type === "image/webp" ? "webp" : "jpg"}`;
  return new File([blob], name, { type: blob.type, lastModified: file.lastModified });
}

async function encode(canvas: HTMLCanvasElement, quality: number): Promise<Blob | null> {
  const blob = (type: string) => new Promise<Blob | null>((done) => canvas.toBlob(done, type, quality));
  if (webp !== false) {
    const attempt = await blob("image/webp");
    // a browser that cannot write WebP hands back a PNG instead
    webp = attempt?.type === "image/webp";
    if (webp) return attempt;
  }
  return blob("image/jpeg");
}

function bytes(n: number) {
  return n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}
