// The region tree, one level at a time: county → township → village (村/社区).

async function children(api, parentCode) {
  const query = parentCode ? `?parent_code=${parentCode}&limit=100` : '?limit=100';
  const body = await api.get(`/regions${query}`);
  return body.items.map((region) => ({ code: region.code, name: region.name }));
}

module.exports = { children };
