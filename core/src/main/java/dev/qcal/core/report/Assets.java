package dev.qcal.core.report;

/**
 * The page's inline style sheet and script. The script sorts the summary table (click a header),
 * filters it and the sections by name or flag, shows it a thousand rows at a time (building the
 * rows the page holds as text, {@link SummaryTable#laterRows}, only when shown), opens a section
 * when its link is followed (or all of them for {@code #all}), and marks the page {@code
 * data-qcal="ready"} once it has run, so a headless browser test can tell that it did; an uncaught
 * error marks it {@code data-qcal="error"}.
 */
final class Assets {
  private Assets() {}

  static final String CSS =
      """
      :root{--fg:#1b1f24;--mut:#57606a;--line:#d0d7de;--bg2:#f6f8fa}
      body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 24px 40px}
      h1{font-size:22px;margin:18px 0 4px}h2{font-size:17px;margin:22px 0 8px}
      .status{color:var(--mut);margin:0}
      dl{display:grid;grid-template-columns:max-content auto;gap:2px 16px;margin:0}
      dt{color:var(--mut)}dd{margin:0;word-break:break-all}
      .nm{white-space:pre-wrap;word-break:keep-all;overflow-wrap:normal;hyphens:none;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
      .nw{white-space:pre}.primary{margin:6px 0 0}.far{margin:4px 0 0;color:#953800}
      .fl.far{background:#ffebe9;color:#a40e26}
      table{border-collapse:collapse;font-variant-numeric:tabular-nums}
      th,td{border:1px solid var(--line);padding:3px 7px;text-align:right;vertical-align:top}
      th{background:var(--bg2);font-weight:600}
      td:first-child,th:first-child,td.l{text-align:left}
      #sum th[data-c]{cursor:pointer;user-select:none}
      #sum th[aria-sort=ascending]::after{content:" \\25B2"}#sum th[aria-sort=descending]::after{content:" \\25BC"}
      #sum tbody tr:nth-child(even){background:#fbfcfd}#sum tbody tr:hover{background:#eef4fb}
      small{color:var(--mut)}
      .fl{display:inline-block;background:#fff1e5;color:#953800;border-radius:8px;padding:0 6px;margin:1px 2px;font-size:12px}
      .tools{display:flex;gap:8px;align-items:center;margin:0 0 8px}
      .tools input{font:inherit;padding:3px 8px;width:320px}
      .tools button{font:inherit;padding:2px 10px}
      details.t{border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:0 10px}
      details.t>summary{cursor:pointer;padding:6px 0}
      details.t[open]>summary{border-bottom:1px solid var(--line);margin-bottom:8px}
      .facts{color:var(--mut);margin:4px 0 8px}
      table.mt{margin:0 0 8px;font-size:13px}
      td.notes,table.mt th:last-child{text-align:left}td.notes{max-width:520px;color:var(--mut)}
      .plots{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:flex-start}
      figure{margin:0}figcaption{color:var(--mut);font-size:12px;text-align:center}
      svg{display:block;font-size:11px;overflow:visible}
      svg.h{width:760px;max-width:100%}svg.c{width:372px}
      svg text{fill:var(--mut)}.tx{text-anchor:middle}.ty{text-anchor:end}.xt{text-anchor:middle}.ay{transform:rotate(-90deg);text-anchor:middle}
      .ax{fill:none;stroke:#8c959f}.gr{fill:none;stroke:#eaeef2}
      .bar{fill:#b6c8dc;stroke:#6b8db5;stroke-width:.6}
      .thr path{stroke:currentColor;stroke-width:1.6;fill:none}
      .thr text{fill:currentColor;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
      .ln{fill:none;stroke:currentColor;stroke-width:1.5;stroke-linejoin:round}
      .s1{stroke-dasharray:5 3}.s2{stroke-dasharray:1.5 2.5}
      .ch{stroke:#57606a;stroke-dasharray:3 3;fill:none}
      .lg text{fill:var(--fg)}
      .none{color:var(--mut);font-style:italic}
      """;

  static final String JS =
      """
      (function(){'use strict';
      var root=document.documentElement;
      window.addEventListener('error',function(){root.setAttribute('data-qcal','error');});
      var data=JSON.parse(document.getElementById('qcal-data').textContent);
      var table=document.getElementById('sum'),body=table.tBodies[0];
      var els=Array.prototype.slice.call(body.rows),base=els.length,n=data.names.length;
      var later=document.getElementById('qcal-rows'),texts=later?later.textContent.split('</tr>'):[];
      var keys=(data.keys||[]).map(function(k){return k.split(',');});
      var order=[];for(var i=0;i<n;i++)order.push(i);
      var PAGE=1000,limit=Math.max(PAGE,base);
      var secs=document.querySelectorAll('details.t');
      function row(i){var r=els[i];if(!r){var b=document.createElement('tbody');
        b.innerHTML=texts[i-base]+'</tr>';r=els[i]=b.rows[0];}return r;}
      function key(i,c,num){var v;
        if(c===0)v=data.names[i];else if(c===3)v=data.flags[i];
        else if(i<base){var td=els[i].cells[c];v=td.getAttribute('data-v');if(v===null)v=td.textContent;}
        else v=keys[i-base][c<3?c-1:c-2];
        if(!num)return v;var x=parseFloat(v);return isNaN(x)?null:x;}
      var filter=document.getElementById('filter'),shown=document.getElementById('shown'),more=document.getElementById('more');
      function draw(){var q=filter.value.toLowerCase(),hits=0,on=0,f=document.createDocumentFragment();
        order.forEach(function(i){var hit=!q||(data.names[i]+'\\n'+data.flags[i]).toLowerCase().indexOf(q)>=0;
          if(hit)hits++;var show=hit&&hits<=limit;
          if(show||els[i]){var r=row(i);r.hidden=!show;f.appendChild(r);if(show)on++;}
          if(secs[i])secs[i].hidden=!hit;});
        body.appendChild(f);
        shown.textContent=on+' of '+n+' shown'+(hits>on?' ('+hits+' match)':'');
        if(more)more.hidden=hits<=on;}
      table.tHead.addEventListener('click',function(e){var th=e.target.closest('th[data-c]');if(!th)return;
        var c=+th.getAttribute('data-c'),num=th.hasAttribute('data-n'),asc=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(table.tHead.querySelectorAll('th[aria-sort]'),function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        order=order.map(function(i){return [key(i,c,num),i];})
          .sort(function(p,q){if(p[0]===q[0])return p[1]-q[1];if(p[0]===null)return 1;if(q[0]===null)return -1;
            return (p[0]<q[0]?-1:1)*(asc?1:-1);})
          .map(function(p){return p[1];});
        draw();});
      filter.addEventListener('input',function(){limit=Math.max(PAGE,base);draw();});
      if(more)more.addEventListener('click',function(){limit+=PAGE;draw();});
      function all(open){Array.prototype.forEach.call(secs,function(s){if(!s.hidden)s.open=open;});}
      document.getElementById('expand').addEventListener('click',function(){all(true);});
      document.getElementById('collapse').addEventListener('click',function(){all(false);});
      function follow(){var id=decodeURIComponent(location.hash.slice(1));if(id==='all'){all(true);return;}
        var s=id&&document.getElementById(id);if(s&&s.tagName==='DETAILS'){s.open=true;s.scrollIntoView();}}
      window.addEventListener('hashchange',follow);
      draw();follow();
      if(root.getAttribute('data-qcal')!=='error')root.setAttribute('data-qcal','ready');
      })();
      """;
}
