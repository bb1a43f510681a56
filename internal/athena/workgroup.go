package athena

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

const primaryWorkGroup = "primary"

var workGroupName = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,128}$`)

// workGroup returns a workgroup; "primary" always exists.
func (s *Service) workGroup(sc scope, name string) (*WorkGroup, error) {
	if name == "" {
		name = primaryWorkGroup
	}
	var wg WorkGroup
	ok, err := s.getJSON(sc.key(kindWorkGroup, name), &wg)
	if err != nil {
		return nil, err
	}
	if !ok {
		if name == primaryWorkGroup {
			return &WorkGroup{Name: primaryWorkGroup, State: "ENABLED", Description: "", Configuration: defaultConfig(),
				CreationTime: epoch.Ptr(s.clock.Now().Truncate(24 * 3600e9))}, nil
		}
		return nil, invalid("WorkGroup %s is not found.", name)
	}
	return &wg, nil
}

func defaultConfig() *WorkGroupConfiguration {
	f := false
	return &WorkGroupConfiguration{
		EnforceWorkGroupConfiguration: &f, PublishCloudWatchMetricsEnabled: &f, RequesterPaysEnabled: &f,
		EngineVersion:                        &EngineVersion{SelectedEngineVersion: "AUTO", EffectiveEngineVersion: "Athena engine version 3"},
		EnableMinimumEncryptionConfiguration: &f,
		ResultConfiguration:                  nil,
		ManagedQueryResultsConfiguration:     json.RawMessage(`{"Enabled":false}`),
	}
}

type CreateWorkGroupInput struct {
	Name          string                  `json:"Name"`
	Configuration *WorkGroupConfiguration `json:"Configuration,omitempty"`
	Description   string                  `json:"Description,omitempty"`
	Tags          []Tag                   `json:"Tags,omitempty"`
}

type CreateWorkGroupOutput struct{}

// CreateWorkGroup creates a workgroup.
func (s *Service) CreateWorkGroup(ctx context.Context, in *CreateWorkGroupInput) (*CreateWorkGroupOutput, error) {
	sc := scopeOf(ctx)
	if !workGroupName.MatchString(in.Name) {
		return nil, invalid("WorkGroup name %q is not valid: 1 to 128 letters, digits, '.', '_' or '-'.", in.Name)
	}
	cfg := defaultConfig()
	if c := in.Configuration; c != nil {
		if err := checkConfig(c); err != nil {
			return nil, err
		}
		merge(cfg, c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := sc.key(kindWorkGroup, in.Name)
	if ok, err := s.db.Has(key); err != nil {
		return nil, err
	} else if ok || in.Name == primaryWorkGroup {
		return nil, invalid("WorkGroup is already created")
	}
	wg := &WorkGroup{Name: in.Name, State: "ENABLED", Configuration: cfg, Description: in.Description, CreationTime: epoch.Ptr(s.clock.Now())}
	b := s.db.NewBatch()
	b.Set(key, mustJSON(wg))
	return &CreateWorkGroupOutput{}, b.Commit()
}

func checkConfig(c *WorkGroupConfiguration) error {
	if c.BytesScannedCutoffPerQuery != nil && *c.BytesScannedCutoffPerQuery < 10000000 {
		return invalid("BytesScannedCutoffPerQuery must be at least 10000000.")
	}
	if c.ExecutionRole != "" || c.CustomerContentEncryptionConfiguration != nil || c.IdentityCenterConfiguration != nil {
		return notSupported("Workgroup execution roles, customer content encryption and Identity Center")
	}
	if rc := c.ResultConfiguration; rc != nil && rc.OutputLocation != "" {
		if _, _, err := parseS3URI(rc.OutputLocation); err != nil {
			return err
		}
	}
	return nil
}

func notSupported(what string) error {
	return invalid("%s is not supported by Lakebox yet.", what)
}

// merge sets on dst the members given in src.
func merge(dst, src *WorkGroupConfiguration) {
	if src.ResultConfiguration != nil {
		dst.ResultConfiguration = src.ResultConfiguration
	}
	if src.EnforceWorkGroupConfiguration != nil {
		dst.EnforceWorkGroupConfiguration = src.EnforceWorkGroupConfiguration
	}
	if src.PublishCloudWatchMetricsEnabled != nil {
		dst.PublishCloudWatchMetricsEnabled = src.PublishCloudWatchMetricsEnabled
	}
	if src.BytesScannedCutoffPerQuery != nil {
		dst.BytesScannedCutoffPerQuery = src.BytesScannedCutoffPerQuery
	}
	if src.RequesterPaysEnabled != nil {
		dst.RequesterPaysEnabled = src.RequesterPaysEnabled
	}
	if src.EngineVersion != nil {
		dst.EngineVersion = &EngineVersion{SelectedEngineVersion: src.EngineVersion.SelectedEngineVersion, EffectiveEngineVersion: "Athena engine version 3"}
	}
	if src.AdditionalConfiguration != "" {
		dst.AdditionalConfiguration = src.AdditionalConfiguration
	}
	if src.EnableMinimumEncryptionConfiguration != nil {
		dst.EnableMinimumEncryptionConfiguration = src.EnableMinimumEncryptionConfiguration
	}
}

type GetWorkGroupInput struct {
	WorkGroup string `json:"WorkGroup"`
}

type GetWorkGroupOutput struct {
	WorkGroup *WorkGroup `json:"WorkGroup"`
}

// GetWorkGroup returns a workgroup.
func (s *Service) GetWorkGroup(ctx context.Context, in *GetWorkGroupInput) (*GetWorkGroupOutput, error) {
	wg, err := s.workGroup(scopeOf(ctx), in.WorkGroup)
	if err != nil {
		return nil, err
	}
	return &GetWorkGroupOutput{WorkGroup: wg}, nil
}

type ListWorkGroupsInput struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults int64  `json:"MaxResults,omitempty"`
}

type WorkGroupSummary struct {
	Name          string         `json:"Name"`
	State         string         `json:"State,omitempty"`
	Description   string         `json:"Description,omitempty"`
	CreationTime  *epoch.Time    `json:"CreationTime,omitempty"`
	EngineVersion *EngineVersion `json:"EngineVersion,omitempty"`
}

type ListWorkGroupsOutput struct {
	WorkGroups []WorkGroupSummary `json:"WorkGroups"`
	NextToken  string             `json:"NextToken,omitempty"`
}

// ListWorkGroups lists workgroups by name, "primary" among them.
func (s *Service) ListWorkGroups(ctx context.Context, in *ListWorkGroupsInput) (*ListWorkGroupsOutput, error) {
	sc := scopeOf(ctx)
	limit := int(in.MaxResults)
	if limit <= 0 || limit > 50 {
		limit = 50
	}
	var all []WorkGroupSummary
	primary, err := s.workGroup(sc, primaryWorkGroup)
	if err != nil {
		return nil, err
	}
	prefix := sc.key(kindWorkGroup)
	it, err := s.db.NewIter(prefix, prefixEnd(prefix))
	if err != nil {
		return nil, err
	}
	added := false
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return nil, err
		}
		var wg WorkGroup
		if err := json.Unmarshal(v, &wg); err != nil {
			it.Close()
			return nil, err
		}
		if !added && wg.Name > primaryWorkGroup {
			all, added = append(all, summary(primary)), true
		}
		if wg.Name == primaryWorkGroup {
			added = true
		}
		all = append(all, summary(&wg))
	}
	if err := it.Close(); err != nil {
		return nil, err
	}
	if !added {
		all = append(all, summary(primary))
	}
	start := 0
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return nil, invalid("The NextToken is not valid.")
		}
		for start < len(all) && all[start].Name < string(b) {
			start++
		}
	}
	out := &ListWorkGroupsOutput{WorkGroups: []WorkGroupSummary{}}
	end := min(start+limit, len(all))
	out.WorkGroups = append(out.WorkGroups, all[start:end]...)
	if end < len(all) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(all[end].Name))
	}
	return out, nil
}

func summary(wg *WorkGroup) WorkGroupSummary {
	var ev *EngineVersion
	if wg.Configuration != nil {
		ev = wg.Configuration.EngineVersion
	}
	return WorkGroupSummary{Name: wg.Name, State: wg.State, Description: wg.Description, CreationTime: wg.CreationTime, EngineVersion: ev}
}

type ResultConfigurationUpdates struct {
	OutputLocation       string `json:"OutputLocation,omitempty"`
	RemoveOutputLocation *bool  `json:"RemoveOutputLocation,omitempty"`
}

type WorkGroupConfigurationUpdates struct {
	EnforceWorkGroupConfiguration    *bool                       `json:"EnforceWorkGroupConfiguration,omitempty"`
	ResultConfigurationUpdates       *ResultConfigurationUpdates `json:"ResultConfigurationUpdates,omitempty"`
	PublishCloudWatchMetricsEnabled  *bool                       `json:"PublishCloudWatchMetricsEnabled,omitempty"`
	BytesScannedCutoffPerQuery       *int64                      `json:"BytesScannedCutoffPerQuery,omitempty"`
	RemoveBytesScannedCutoffPerQuery *bool                       `json:"RemoveBytesScannedCutoffPerQuery,omitempty"`
	RequesterPaysEnabled             *bool                       `json:"RequesterPaysEnabled,omitempty"`
	EngineVersion                    *EngineVersion              `json:"EngineVersion,omitempty"`
}

type UpdateWorkGroupInput struct {
	WorkGroup            string                         `json:"WorkGroup"`
	Description          *string                        `json:"Description,omitempty"`
	ConfigurationUpdates *WorkGroupConfigurationUpdates `json:"ConfigurationUpdates,omitempty"`
	State                string                         `json:"State,omitempty"`
}

type UpdateWorkGroupOutput struct{}

// UpdateWorkGroup changes a workgroup's configuration, description or state.
func (s *Service) UpdateWorkGroup(ctx context.Context, in *UpdateWorkGroupInput) (*UpdateWorkGroupOutput, error) {
	sc := scopeOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	wg, err := s.workGroup(sc, in.WorkGroup)
	if err != nil {
		return nil, err
	}
	if in.Description != nil {
		wg.Description = *in.Description
	}
	switch in.State {
	case "":
	case "ENABLED", "DISABLED":
		wg.State = in.State
	default:
		return nil, invalid("State must be ENABLED or DISABLED.")
	}
	if u := in.ConfigurationUpdates; u != nil {
		c := wg.Configuration
		if c == nil {
			c = defaultConfig()
		}
		upd := &WorkGroupConfiguration{EnforceWorkGroupConfiguration: u.EnforceWorkGroupConfiguration, PublishCloudWatchMetricsEnabled: u.PublishCloudWatchMetricsEnabled,
			BytesScannedCutoffPerQuery: u.BytesScannedCutoffPerQuery, RequesterPaysEnabled: u.RequesterPaysEnabled, EngineVersion: u.EngineVersion}
		if err := checkConfig(upd); err != nil {
			return nil, err
		}
		merge(c, upd)
		if u.RemoveBytesScannedCutoffPerQuery != nil && *u.RemoveBytesScannedCutoffPerQuery {
			c.BytesScannedCutoffPerQuery = nil
		}
		if r := u.ResultConfigurationUpdates; r != nil {
			if r.RemoveOutputLocation != nil && *r.RemoveOutputLocation {
				c.ResultConfiguration = nil
			}
			if r.OutputLocation != "" {
				if _, _, err := parseS3URI(r.OutputLocation); err != nil {
					return nil, err
				}
				c.ResultConfiguration = &ResultConfiguration{OutputLocation: r.OutputLocation}
			}
		}
		wg.Configuration = c
	}
	b := s.db.NewBatch()
	b.Set(sc.key(kindWorkGroup, wg.Name), mustJSON(wg))
	return &UpdateWorkGroupOutput{}, b.Commit()
}

type DeleteWorkGroupInput struct {
	WorkGroup             string `json:"WorkGroup"`
	RecursiveDeleteOption *bool  `json:"RecursiveDeleteOption,omitempty"`
}

type DeleteWorkGroupOutput struct{}

// DeleteWorkGroup removes a workgroup ("primary" cannot be).
func (s *Service) DeleteWorkGroup(ctx context.Context, in *DeleteWorkGroupInput) (*DeleteWorkGroupOutput, error) {
	sc := scopeOf(ctx)
	if in.WorkGroup == primaryWorkGroup {
		return nil, invalid("Primary workgroup can not be deleted.")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.workGroup(sc, in.WorkGroup); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	b.Delete(sc.key(kindWorkGroup, in.WorkGroup))
	return &DeleteWorkGroupOutput{}, b.Commit()
}
