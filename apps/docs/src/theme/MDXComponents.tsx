// Markdown tables in a box of their own that scrolls sideways when a table is
// wider than the column, so a table never makes the whole page scroll.
import type { ComponentProps, ReactElement } from "react";
import MDXComponents from "@theme-original/MDXComponents";

function Table(props: ComponentProps<"table">): ReactElement {
  return (
    // Focusable, so the box can be scrolled from the keyboard.
    <div className="table-scroll" tabIndex={0}>
      <table {...props} />
    </div>
  );
}

export default { ...MDXComponents, table: Table };
