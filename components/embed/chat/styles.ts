/** The open chat's styles; the colours are the variables the loader set from the config (theme.ts). */
export const PANEL_CSS = `.panel{position:fixed;z-index:2147483000;bottom:88px;left:var(--cbp-side-left,auto);right:var(--cbp-side-right,auto);width:360px;max-width:calc(100vw - 40px);height:540px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 8px 30px rgba(0,0,0,.25);text-align:left}
.panel[hidden]{display:none}
@media (max-width:480px){.panel{inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
.head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--cbp-brand);color:var(--cbp-on-brand)}
.head h2{flex:1;margin:0;font-size:15px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.avatar{width:28px;height:28px;border-radius:50%;object-fit:cover;background:#fff}
.hbtn{border:1px solid currentColor;border-radius:6px;background:transparent;color:inherit;font:12px system-ui,sans-serif;padding:4px 8px;cursor:pointer}
.x{border:0;font-size:20px;line-height:1;padding:2px 8px}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #16161d;outline-offset:1px}
.head button:focus-visible{outline-color:var(--cbp-on-brand)}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}
.row{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.row.me{align-self:flex-end;align-items:flex-end}
.bubble{padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#f1f1f4;color:#16161d}
.me .bubble{background:var(--cbp-brand);color:var(--cbp-on-brand)}
.me .bubble a{color:inherit}
.bubble[data-cut-off]{border-left:3px solid #b42318}
.agent{font-size:11px;color:#55556a;margin:0 0 2px 4px}
.thumb{display:block;max-width:200px;max-height:200px;border-radius:8px;margin-bottom:4px}
.quick{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.quick button{padding:4px 10px;border-radius:99px;border:1px solid var(--cbp-brand);background:#fff;color:#16161d;cursor:pointer;font:inherit}
.cards{list-style:none;margin:6px 0 0;padding:0 0 4px;display:flex;gap:8px;overflow-x:auto;max-width:100%}
.card{flex:0 0 160px;border:1px solid #dedee8;border-radius:10px;overflow:hidden;background:#fff}
.card img{display:block;width:100%;height:100px;object-fit:cover}
.card p{margin:6px 8px;overflow-wrap:anywhere}
.card .t{font-weight:600}
.card .s,.card .raw{font-size:12px;color:#55556a}
.card a{display:block;margin:6px 8px 8px;padding:5px;text-align:center;border-radius:6px;background:var(--cbp-brand);color:var(--cbp-on-brand);text-decoration:none}
.notice{align-self:center;font-size:12px;color:#55556a;padding:2px 8px}
.err{align-self:flex-start;font-size:12px;color:#b42318;padding:2px 8px}
.typing{color:#55556a;letter-spacing:2px}
.foot{display:flex;align-items:center;border-top:1px solid #dedee8}
.foot input[type=text]{flex:1;min-width:0;border:0;padding:12px;font:inherit;color:#16161d;background:#fff}
.foot input::placeholder{color:#6b6b7b}
.attach{border:0;background:transparent;padding:0 10px;cursor:pointer;color:#55556a;height:44px}
.attach svg{width:20px;height:20px;fill:currentColor}
.send{border:0;align-self:stretch;padding:0 16px;cursor:pointer;background:var(--cbp-brand);color:var(--cbp-on-brand);font:600 14px system-ui,sans-serif}
.problem{margin:0;padding:6px 12px;font-size:12px;color:#b42318;border-top:1px solid #dedee8}
.blocked{margin:0;padding:14px 12px;border-top:1px solid #dedee8;color:#16161d}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`;
