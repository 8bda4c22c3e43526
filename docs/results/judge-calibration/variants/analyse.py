import json,sys
rs=[json.loads(l) for l in open(sys.argv[1] if len(sys.argv)>1 else '/tmp/jx/out.jsonl')]
def combos(r):
    d={}
    for s in ('','_nt'):
        m,b=r.get('meet'+s),r.get('break'+s)
        if m is None or b is None: continue
        d['meet'+s]=m; d['notbreak'+s]=1-b; d['diff'+s]=(m-b+1)/2; d['ratio'+s]=m/(m+b)
    if 'diff' in d and 'diff_nt' in d: d['diff_both']=(d['diff']+d['diff_nt'])/2
    for k in list(r):
        if k not in ('src','id','label') and k not in ('meet','break','meet_nt','break_nt'): d[k]=r[k]
    return d
def auc(pos,neg):
    if not pos or not neg: return float('nan')
    return sum((p>n)+0.5*(p==n) for p in pos for n in neg)/(len(pos)*len(neg))
def best(sc,lab):
    ts=sorted(set(sc)); bestt,besta=0.5,0
    for i in range(len(ts)):
        t=ts[i]
        a=sum((s>=t)==l for s,l in zip(sc,lab))/len(lab)
        if a>besta: besta,bestt=a,t
    return bestt,besta
keys=set().union(*[combos(r) for r in rs])
for k in sorted(keys):
    out=[]
    thr=None
    for src in ('own','ood'):
        sub=[(combos(r)[k],r['label']) for r in rs if r['src']==src and k in combos(r)]
        if not sub: continue
        sc=[s for s,_ in sub]; lab=[l for _,l in sub]
        a=auc([s for s,l in sub if l],[s for s,l in sub if not l])
        t,ba=best(sc,lab)
        if src=='own': thr=t
        at=sum((s>=thr)==l for s,l in sub)/len(sub) if thr is not None else float('nan')
        out.append(f"{src}: n={len(sub)} auc={a:.3f} best={ba:.3f}@{t:.2f} at_own_thr={at:.3f}")
    print(f"{k:12s}", ' | '.join(out))
