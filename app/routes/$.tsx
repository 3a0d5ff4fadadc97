import { GeneralErrorBoundary } from "~/components/error-boundary";

// Unknown URLs answer a real 404 (not a 200 with an error message).
export async function loader() {
  throw new Response("Not found", { status: 404 });
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return (
    <main>
      <GeneralErrorBoundary />
    </main>
  );
}
