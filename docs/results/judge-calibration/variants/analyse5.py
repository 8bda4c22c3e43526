import json, math
own={json.loads(l)['id']:json.loads(l) for l in open('benchmarks/data/judge_calibration.jsonl')}
cal=json.load(open('docs/results/judge-calibration/qwen2.5-coder-1.5b.json'))
py={i['id']:i['score'] for i in cal['items']}
rows=[]
for l in open('docs/results/judge-calibration/variants/scores5-own.jsonl'):
    r=json.loads(l)
    if own[r['id']]['requirement']=='@task': continue
    rows.append(dict(r, p=py[r['id']]))
def auc(rs,key):
    pos=[key(r) for r in rs if r['label']]; neg=[key(r) for r in rs if not r['label']]
    return sum((p>n)+0.5*(p==n) for p in pos for n in neg)/(len(pos)*len(neg))
def acc(rs,key,t): return sum((key(r)>=t)==r['label'] for r in rs)/len(rs)
def best(rs,key):
    return max((acc(rs,key,t),t) for t in sorted(set(key(r) for r in rs)))
print('own non-task rows', len(rows))
# fit logistic on own: features pmi_sum, logit(p)
def lg(p): p=min(max(p,1e-4),1-1e-4); return math.log(p/(1-p))
import numpy as np
X=np.array([[r['pmi_sum'], lg(r['p']), 1.0] for r in rows]); y=np.array([r['label'] for r in rows],float)
w=np.zeros(3)
for _ in range(5000):
    z=X@w; s=1/(1+np.exp(-z)); g=X.T@(s-y)/len(y)+0.01*np.r_[w[:2],0]; w-=0.1*g
print('w', w)
comb=lambda r: w[0]*r['pmi_sum']+w[1]*lg(r['p'])+w[2]
for name,k in (('pmi',lambda r:r['pmi_sum']),('pyes',lambda r:r['p']),('comb',comb)):
    print(name,'own auc',round(auc(rows,k),3),'best',best(rows,k))
# ood
ood=[json.loads(l) for l in open('docs/results/judge-calibration/variants/scores5-ood.jsonl')]
try:
    pd=json.load(open('docs/results/judge-calibration/variants/pyes5-ood.json'))
    ps=[i['score'] for i in pd['items']]
    for r,p in zip(ood,ps): r['p']=p
    tp=best(rows,lambda r:r['pmi_sum'])[1]
    for name,k,t in (('pmi',lambda r:r['pmi_sum'],tp),('pyes',lambda r:r['p'],0.30),('comb',comb,0.0)):
        print(name,'ood auc',round(auc(ood,k),3),'acc at own thr',round(acc(ood,k,t),3),'thr',round(t,2),'best',best(ood,k))
except Exception as e: print('no ood pyes', e)
def prec(rs,key,t):
    sel=[r for r in rs if key(r)>=t]; 
    return (sum(r['label'] for r in sel)/len(sel) if sel else None, len(sel))
for name,k,ts in (('pmi',lambda r:r['pmi_sum'],[1,2,3,4,5,6]),('comb',comb,[0,0.5,1,1.5,2,2.5,3]),('pyes',lambda r:r['p'],[0.3,0.5,0.7,0.8])):
    for t in ts: print(name,t,'own',prec(rows,k,t),'ood',prec(ood,k,t))
