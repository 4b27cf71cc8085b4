"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { NAV_ITEMS, isCurrent } from "./nav-items";

/**
 * The dashboard's navigation. Wide screens always show it as a sidebar; on a phone it is a drawer
 * behind the "Menu" button, closed by Escape, by the backdrop and by following a link.
 */
export function DashboardNav({ footer, workspace }: { footer: ReactNode; workspace: ReactNode }) {
  const pathname = usePathname();
  // Open only on the page it was opened on: any navigation (a link, back/forward) closes it.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn !== null && openOn === pathname;
  const close = () => setOpenOn(null);
  const menuButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    function onKey(e: KeyboardEvent) {
      if (e.key !== "Escape") return;
      setOpenOn(null);
      menuButton.current?.focus();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  return (
    <>
      <header className="topbar">
        <button ref={menuButton} type="button" className="secondary menu-button" aria-expanded={open} aria-controls="dashboard-nav" onClick={() => setOpenOn(open ? null : pathname)}>
          Menu
        </button>
        <strong>Chatbot Platform</strong>
      </header>
      {open ? <div className="nav-backdrop" aria-hidden="true" onClick={close} /> : null}
      <nav id="dashboard-nav" className="sidebar" aria-label="Main" data-open={open}>
        <strong className="brand">Chatbot Platform</strong>
        {workspace}
        {NAV_ITEMS.map((item) => (
          <Link key={item.href} href={item.href} aria-current={isCurrent(pathname, item.href) ? "page" : undefined} onClick={close}>
            {item.label}
          </Link>
        ))}
        <div className="sidebar-footer">{footer}</div>
      </nav>
    </>
  );
}
